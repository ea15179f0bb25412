// POST /api/pairs/:id/decision - accept or reject a pair (reason required to reject); 409 if the pair changed meanwhile (annotator+)
import { route } from "@/lib/api/route";
import { recordDecision, ZDecisionInput } from "@/lib/pairs/record-decision";
import { pairIdFrom, withConflicts } from "../../http-errors";

export const POST = route({ access: "pairs:review", body: ZDecisionInput }, async ({ db, params, body, user }) =>
  withConflicts(() => recordDecision(db, { pairId: pairIdFrom(params), userId: user.id, ...body })),
);
