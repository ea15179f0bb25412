// GET /api/conflicts - pairs whose independent reviews disagree, with those reviews (lead+)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { listConflicts } from "@/lib/reviews/conflicts";

export const GET = route({ access: "reviews:resolve", query: z.object({ datasetId: z.uuid().optional() }) }, async ({ db, query }) => ({
  conflicts: await listConflicts(db, query),
}));
