// GET /api/evaluations - evaluations with what they evaluated, their status and headline numbers (annotator+)
// POST /api/evaluations - launch one: a finished run (its final or a chosen checkpoint), a registered base model, or a
// frontier model through a provider, on a benchmark with decoding settings; queues eval.generate (researcher+)
import { route } from "@/lib/api/route";
import { evalHttp } from "@/lib/eval/http";
import { launchEvaluation, ZLaunchEvaluationInput } from "@/lib/eval/launch";
import { listEvaluations, ZListEvaluationsQuery } from "@/lib/eval/queries";

export const GET = route({ access: "runs:read", query: ZListEvaluationsQuery }, async ({ db, query }) => ({ evaluations: await listEvaluations(db, query) }));

export const POST = route({ access: "evals:launch", body: ZLaunchEvaluationInput }, async ({ db, body, user }) => {
  const evaluation = await evalHttp(() => launchEvaluation(db, body, { createdById: user.id }));
  return Response.json({ evaluation }, { status: 201 });
});
