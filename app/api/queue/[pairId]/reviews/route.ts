// GET /api/queue/:pairId/reviews - a pair's reviews as the signed-in user may see them: others' decisions stay hidden
// until the user has decided the pair themselves (leads see all) (annotator+)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { listVisibleReviews } from "@/lib/reviews/visible-reviews";

export const GET = route({ access: "pairs:read" }, async ({ db, user, params }) =>
  listVisibleReviews(db, z.uuid({ message: "pair id must be a UUID" }).parse(params.pairId), user),
);
