// GET /api/queue - the signed-in user's review queue and progress (annotator+)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { getMyQueue } from "@/lib/reviews/my-queue";

const ZQuery = z.object({ datasetId: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(500).optional() });

export const GET = route({ access: "pairs:review", query: ZQuery }, async ({ db, user, query }) => getMyQueue(db, user.id, query));
