// POST /api/queue/assign - assign pairs to annotators for review (researcher+)
import { route } from "@/lib/api/route";
import { assignPairs, ZAssignPairs } from "@/lib/reviews/assignments";

export const POST = route({ access: "versions:freeze", body: ZAssignPairs }, async ({ db, body, user }) => assignPairs(db, { ...body, actorId: user.id }));
