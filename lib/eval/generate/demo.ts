// The evaluation part of the demo: `npm start` queues an `eval.demo` job next to the demo training run. The job waits
// until that run has finished (training and generation would only fight over the same cores), then launches real
// evaluations of the trained run and of its base model on the two built-in demo benchmarks, with small settings so
// the tiny model finishes them in a minute or two. The numbers the leaderboard then shows are the tiny model's own,
// generated and scored like any other evaluation; nothing is written by hand.
import type { Db } from "../../db/client";
import { JobCancelledError, type JobContext } from "../../jobs/handlers";
import { launchEvaluation, type TLaunchedEvaluation } from "../launch";
import { ensureDemoBenchmarks } from "./demo-benchmarks";
import { ZDemoEvaluationsPayload, type TDemoEvaluationsPayload } from "./payload";

/** Small enough for two shared cores: every item, 5 samples (the paper's n), short answers. */
export const DEMO_EVAL_SETTINGS = { samples: 5, maxNewTokens: 48 } as const;
export const DEMO_EVAL_TAG = "demo";

const POLL_MS = 5_000;

export async function runDemoEvaluations(
  db: Db,
  payloadInput: TDemoEvaluationsPayload,
  context: Partial<Pick<JobContext, "reportProgress" | "isCancelled">> & { pollMs?: number } = {},
): Promise<{ runStatus: string; evaluations: TLaunchedEvaluation[]; skipped?: string }> {
  const payload = ZDemoEvaluationsPayload.parse(payloadInput);
  const deadline = Date.now() + payload.waitMinutes * 60_000;
  let run = await db.run.findUnique({ where: { id: payload.runId }, select: { id: true, name: true, status: true, baseModelId: true } });
  if (!run) throw new Error(`no run with id ${payload.runId}`);
  await context.reportProgress?.(0, null, `waiting for the run "${run.name}" to finish`);
  while (run.status === "QUEUED" || run.status === "RUNNING") {
    if (await context.isCancelled?.()) throw new JobCancelledError();
    if (Date.now() > deadline) throw new Error(`the demo run "${run.name}" did not finish within ${payload.waitMinutes} minutes`);
    await new Promise((resolve) => setTimeout(resolve, context.pollMs ?? POLL_MS));
    run = (await db.run.findUnique({ where: { id: payload.runId }, select: { id: true, name: true, status: true, baseModelId: true } }))!;
  }
  if (run.status !== "SUCCEEDED") return { runStatus: run.status, evaluations: [], skipped: `the demo run ended ${run.status.toLowerCase()}; nothing to evaluate` };

  // Idempotent: a retried job does not launch the same evaluations twice.
  const already = await db.evaluation.count({ where: { tags: { has: DEMO_EVAL_TAG }, OR: [{ runId: run.id }, { modelId: run.baseModelId }] } });
  if (already > 0) return { runStatus: run.status, evaluations: [], skipped: "the demo evaluations were launched already" };

  const { securityId, utilityId } = await ensureDemoBenchmarks(db);
  const evaluations: TLaunchedEvaluation[] = [];
  for (const benchmarkId of [securityId, utilityId]) {
    evaluations.push(await launchEvaluation(db, { runId: run.id, benchmarkId, ...DEMO_EVAL_SETTINGS, tags: [DEMO_EVAL_TAG] }, { createdById: null }));
    if (run.baseModelId) {
      evaluations.push(await launchEvaluation(db, { modelId: run.baseModelId, benchmarkId, ...DEMO_EVAL_SETTINGS, tags: [DEMO_EVAL_TAG] }, { createdById: null }));
    }
  }
  await context.reportProgress?.(1, 1, `launched ${evaluations.length} demo evaluations`);
  return { runStatus: run.status, evaluations };
}
