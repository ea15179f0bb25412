// What each job kind does. Handlers are plain async functions over a context; they report progress and check for
// cancellation between units of work so a cancel takes effect promptly.
import { purgeOldLoginAttempts } from "../auth/rate-limit";
import type { Db } from "../db/client";
import { runAnalyzePairsJob } from "../analysis/analyze-job";
import { runImportPairsJob } from "../datasets/import/import-job";
import { importBenchmark } from "../eval/benchmarks/import-benchmark";
import { scoreEvaluation } from "../eval/score-evaluation";
import { runDemoEvaluations } from "../eval/generate/demo";
import { runGenerateEvaluation } from "../eval/generate/run-generation";
import { createEngineDeps } from "../distill/engine/deps";
import { runDistillJob } from "../distill/engine/run-job";
import { runTrainJob } from "../training/run-job";
import { runTrainWatchdog } from "../training/watchdog";
import type { TJobKind, TJobPayload } from "./definitions";

export type JobContext = {
  db: Db;
  jobId: string;
  retryCount: number;
  /** When the job was first queued; stable across retries, so handlers can tell work done by this job from older work. */
  createdAt: Date;
  reportProgress: (done: number, total?: number | null, message?: string) => Promise<void>;
  isCancelled: () => Promise<boolean>;
};

export class JobCancelledError extends Error {
  constructor() {
    super("job cancelled");
  }
}

type Handlers = { [K in TJobKind]: (payload: TJobPayload<K>, context: JobContext) => Promise<unknown> };

export const JOB_HANDLERS: Handlers = {
  "maintenance.purge-expired": async (_payload, { db, reportProgress }) => {
    const sessions = await db.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
    const attempts = await purgeOldLoginAttempts(db);
    await reportProgress(1, 1, `removed ${sessions.count} expired sessions and ${attempts} old sign-in attempts`);
    return { sessions: sessions.count, loginAttempts: attempts };
  },
  "import.pairs": (payload, { db, reportProgress }) => runImportPairsJob(db, payload, { reportProgress }),
  "analyze.pairs": (payload, { db, createdAt, reportProgress, isCancelled }) =>
    runAnalyzePairsJob(db, payload, { startedAt: createdAt, reportProgress, isCancelled }),
  "train.run": (payload, context) => runTrainJob(payload, context),
  "train.watchdog": (payload, { db }) => runTrainWatchdog(db, payload),
  "distill.run": (payload, context) => runDistillJob(context.db, payload, context, (job) => createEngineDeps(context.db, job)),
  "import.benchmark": (payload, { db }) => importBenchmark(db, payload),
  "eval.score": (payload, { db, reportProgress, isCancelled }) => scoreEvaluation(db, payload, { reportProgress, isCancelled }),
  "eval.generate": (payload, { db, reportProgress, isCancelled }) => runGenerateEvaluation(db, payload, { reportProgress, isCancelled }),
  "eval.demo": (payload, { db, reportProgress, isCancelled }) => runDemoEvaluations(db, payload, { reportProgress, isCancelled }),
  "maintenance.count": async (payload, { reportProgress, isCancelled, retryCount }) => {
    if (retryCount < payload.failTimes) throw new Error(`planned failure ${retryCount + 1} of ${payload.failTimes}`);
    for (let step = 1; step <= payload.steps; step++) {
      if (await isCancelled()) throw new JobCancelledError();
      if (payload.stepMs) await new Promise((resolve) => setTimeout(resolve, payload.stepMs));
      await reportProgress(step, payload.steps);
    }
    return { counted: payload.steps };
  },
};
