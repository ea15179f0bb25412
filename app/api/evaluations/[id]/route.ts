// GET /api/evaluations/:id - one evaluation: status, provenance (decoding, checkpoint, benchmark hash) and summary (annotator+)
import { HttpError, route } from "@/lib/api/route";
import { evaluationIdParam } from "@/lib/eval/http";
import { getEvaluation } from "@/lib/eval/queries";

export const GET = route({ access: "runs:read" }, async ({ db, params }) => {
  const id = evaluationIdParam(params);
  const evaluation = await getEvaluation(db, id);
  if (!evaluation) throw new HttpError(404, `no evaluation with id ${id}`);
  const row = await db.evaluation.findUniqueOrThrow({ where: { id }, select: { summary: true, analyzerVersions: true, benchmarkHash: true } });
  return { evaluation: { ...evaluation, summary: row.summary, analyzerVersions: row.analyzerVersions, benchmarkHash: row.benchmarkHash } };
});
