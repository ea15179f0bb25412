// POST /api/evaluations/:id/cancel - stop a queued or running evaluation; its job stops before the next item (researcher+)
import { route } from "@/lib/api/route";
import { evalHttp, evaluationIdParam } from "@/lib/eval/http";
import { cancelEvaluation } from "@/lib/eval/launch";

export const POST = route({ access: "evals:launch" }, async ({ db, params, user }) => ({
  evaluation: await evalHttp(() => cancelEvaluation(db, evaluationIdParam(params), user.id)),
}));
