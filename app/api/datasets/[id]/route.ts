// GET /api/datasets/:id - one dataset with its status counts, sources and frozen versions (annotator+)
// PATCH /api/datasets/:id - change how many independent reviews each pair needs, or the description (researcher+)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { getDataset, updateDataset, ZUpdateDataset } from "@/lib/datasets/datasets";

const ZId = z.uuid({ message: "dataset id must be a UUID" });

export const GET = route({ access: "pairs:read" }, async ({ db, params }) => ({ dataset: await getDataset(db, ZId.parse(params.id)) }));

export const PATCH = route({ access: "versions:freeze", body: ZUpdateDataset }, async ({ db, params, body, user }) => ({
  dataset: await updateDataset(db, ZId.parse(params.id), body, user.id),
}));
