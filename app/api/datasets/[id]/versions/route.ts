// GET /api/datasets/:id/versions - the dataset's frozen versions, newest first (annotator+)
// POST /api/datasets/:id/versions - freeze a selection of pairs into a new immutable version (researcher+)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { freezeVersion, ZFreezeVersionInput } from "@/lib/datasets/versions/freeze-version";
import { listVersions } from "@/lib/datasets/versions/get-version";

const ZId = z.uuid({ message: "dataset id must be a UUID" });
const ZBody = ZFreezeVersionInput.omit({ datasetId: true, createdById: true }).strict();

export const GET = route({ access: "pairs:read" }, async ({ db, params }) => ({ versions: await listVersions(db, ZId.parse(params.id)) }));

export const POST = route({ access: "versions:freeze", body: ZBody }, async ({ db, params, body, user }) => ({
  version: await freezeVersion(db, { ...body, datasetId: ZId.parse(params.id), createdById: user.id }),
}));
