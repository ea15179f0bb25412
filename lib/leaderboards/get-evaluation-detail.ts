// Everything behind one leaderboard cell: the evaluation's provenance and summary, and its generations with their code,
// findings (by line) and test outcome, a page at a time.
import type { Db } from "../db/client";

export const GENERATIONS_PER_PAGE = 25;

export async function getEvaluationDetail(db: Db, evaluationId: string, options: { page: number; filter: "all" | "insecure" | "invalid" | "failed" }) {
  const evaluation = await db.evaluation.findUnique({
    where: { id: evaluationId },
    include: {
      benchmark: { select: { id: true, name: true, kind: true, sourceFile: true, sourceHash: true } },
      model: { select: { name: true } },
      run: { select: { id: true, name: true, method: true, preset: true } },
      checkpoint: { select: { step: true, path: true } },
    },
  });
  if (!evaluation) return null;
  const where = {
    evaluationId,
    ...(options.filter === "invalid" ? { isValid: false } : {}),
    ...(options.filter === "insecure" ? { findings: { some: { duplicateOfId: null } } } : {}),
    ...(options.filter === "failed" ? { scores: { some: { kind: "UTILITY" as const, passed: false } } } : {}),
  };
  const [total, generations] = await Promise.all([
    db.generation.count({ where }),
    db.generation.findMany({
      where,
      include: {
        item: { select: { externalId: true, prompt: true, cweId: true } },
        findings: { orderBy: { startLine: "asc" }, select: { id: true, tool: true, ruleId: true, ruleName: true, cweId: true, severity: true, startLine: true, endLine: true, message: true, duplicateOfId: true } },
        scores: { select: { kind: true, passed: true, issueCount: true, exitCode: true, durationMs: true, detail: true } },
      },
      orderBy: [{ item: { externalId: "asc" } }, { sampleIndex: "asc" }],
      skip: (options.page - 1) * GENERATIONS_PER_PAGE,
      take: GENERATIONS_PER_PAGE,
    }),
  ]);
  return { evaluation, total, generations, pages: Math.max(1, Math.ceil(total / GENERATIONS_PER_PAGE)) };
}
