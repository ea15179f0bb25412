// POST /api/datasets/import - upload a pairs file (multipart: file, dataset, format?) and queue its import job (researcher+)
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { HttpError, route } from "@/lib/api/route";
import { detectImportFormat, ImportFormatError, ZImportFormat } from "@/lib/datasets/import/formats";
import { uploadsDir } from "@/lib/datasets/import/import-job";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { readUpload } from "@/lib/api/read-upload";

/** Large enough for the full DiSCo CSV (about 10k pairs) many times over; bigger files belong on the CLI. */
const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

const ZImportForm = z.object({
  dataset: z.string().trim().min(1, { message: "dataset name is required" }).max(200, { message: "dataset name is longer than 200 characters" }),
  format: z.union([z.literal("").transform(() => undefined), ZImportFormat]).optional(),
});

export const POST = route({ access: "data:import", output: z.object({ jobId: z.string() }) }, async ({ request, db, user }) => {
  const { file, form } = await readUpload(request, { maxBytes: MAX_UPLOAD_BYTES, cliHint: "disco import" });
  const fields = ZImportForm.parse({ dataset: form.get("dataset") ?? "", format: form.get("format") ?? undefined });

  const content = Buffer.from(await file.arrayBuffer());
  // Detect the format now (it needs only the first line), so an unrecognizable file is refused at once instead of
  // failing later in the job; the job itself receives the format it will use.
  let format = fields.format;
  try {
    format ??= detectImportFormat(file.name, content.subarray(0, 1_000_000).toString("utf8"));
  } catch (error) {
    if (error instanceof ImportFormatError) throw new HttpError(400, error.message);
    throw error;
  }

  // A server-chosen name: the user's file name is kept only as a label, never as a path.
  const extension = path.extname(file.name).toLowerCase().replace(/[^.a-z0-9]/g, "").slice(0, 10);
  const filePath = path.join(uploadsDir(), `${crypto.randomUUID()}${extension}`);
  await fs.mkdir(uploadsDir(), { recursive: true });
  await fs.writeFile(filePath, content);
  const jobId = await enqueueJob(
    db,
    "import.pairs",
    { datasetName: fields.dataset, format, filePath, fileName: file.name.slice(0, 500) || `upload${extension}`, createdById: user.id },
    // What fails an import is almost always the file itself, which a retry cannot fix: one retry for a transient error.
    { createdById: user.id, retry: { limit: 1, delaySeconds: 5 } },
  );
  return { jobId };
});
