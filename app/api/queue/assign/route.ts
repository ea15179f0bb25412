// POST /api/queue/assign - assign pairs to annotators for review: given pairIds (each to every user), or a dataset and
// statuses (spread round-robin, perPair annotators per pair) (researcher+)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { assignDatasetPairs, assignPairs, ZAssignDataset, ZAssignPairs } from "@/lib/reviews/assignments";

const ZBody = z.union([ZAssignPairs.strict(), ZAssignDataset.strict()]);

export const POST = route({ access: "versions:freeze", body: ZBody }, async ({ db, body, user }) =>
  "pairIds" in body ? assignPairs(db, { ...body, actorId: user.id }) : assignDatasetPairs(db, { ...body, actorId: user.id }),
);
