// GET /api/dataset-versions/:id/export?format=trl|csv|parquet - download a frozen dataset version (annotator+)
import { z } from "zod";
import { HttpError, route } from "@/lib/api/route";
import { ZExportFormat } from "@/lib/datasets/export/export-formats";
import { exportVersion, toReadableStream } from "@/lib/datasets/export/export-version";
import { VersionNotFoundError } from "@/lib/datasets/export/version-rows";

export const GET = route({ access: "pairs:read", query: z.object({ format: ZExportFormat.default("trl") }) }, async ({ db, params, query }) => {
  const versionId = z.uuid({ message: "dataset version id must be a UUID" }).parse(params.id);
  try {
    const exported = await exportVersion(db, versionId, query.format);
    return new Response(toReadableStream(exported.chunks), {
      headers: {
        "content-type": exported.contentType,
        "content-disposition": `attachment; filename="${exported.fileName}"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof VersionNotFoundError) throw new HttpError(404, error.message);
    throw error;
  }
});
