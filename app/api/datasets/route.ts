// GET /api/datasets - every dataset with its pair counts by review status (annotator+)
import { route } from "@/lib/api/route";
import { listDatasets } from "@/lib/datasets/datasets";

export const GET = route({ access: "pairs:read" }, async ({ db }) => ({ datasets: await listDatasets(db) }));
