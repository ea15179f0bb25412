// GET /api/dataset-versions/:id - one frozen version with its split counts and per-CWE counts (annotator+)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { getVersion } from "@/lib/datasets/versions/get-version";

export const GET = route({ access: "pairs:read" }, async ({ db, params }) => ({
  version: await getVersion(db, z.uuid({ message: "version id must be a UUID" }).parse(params.id)),
}));
