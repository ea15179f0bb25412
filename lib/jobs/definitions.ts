// Every kind of background job, its queue and its payload schema: the one registry the web app (to enqueue), the
// workers (to run) and the CLI read. Later features add their job kinds here and their handlers in handlers.ts.
import { z } from "zod";
import { ZAnalyzePairsPayload } from "../analysis/analyze-job";
import { ZImportPairsPayload } from "../datasets/import/import-payload";
import { ZImportBenchmarkInput, ZScoreEvaluationPayload } from "../eval/job-payloads";
import { ZDemoEvaluationsPayload, ZGenerateEvaluationPayload } from "../eval/generate/payload";
import { ZDistillRunPayload } from "../distill/engine/payload";
import { ZTrainRunPayload } from "../training/job-payload";

/** Queues map to pg-boss queues; a worker subscribes to some of them (`npm run worker -- --queues train,eval`). */
export const QUEUES = ["maintenance", "import", "analyze", "distill", "train", "eval"] as const;
export const ZQueue = z.enum(QUEUES);
export type TQueue = z.infer<typeof ZQueue>;

export const JOB_DEFINITIONS = {
  "maintenance.purge-expired": {
    queue: "maintenance",
    payload: z.object({}).strict(),
    describe: () => "Delete expired sessions and old sign-in attempts",
  },
  "import.pairs": {
    queue: "import",
    payload: ZImportPairsPayload,
    describe: (payload: { datasetName: string; fileName?: string }) => `Import ${payload.fileName ?? "file"} into ${payload.datasetName}`,
  },
  "analyze.pairs": {
    queue: "analyze",
    payload: ZAnalyzePairsPayload,
    describe: (payload: { datasetId?: string; pairIds?: string[] }) =>
      payload.pairIds ? `Analyze ${payload.pairIds.length} pairs` : payload.datasetId ? `Analyze dataset ${payload.datasetId}` : "Analyze all pairs",
  },
  "train.run": {
    queue: "train",
    payload: ZTrainRunPayload,
    describe: (payload: { runId: string }) => `Train run ${payload.runId}`,
  },
  /** Checks a training run every minute and re-queues it when its worker died (lib/training/watchdog.ts). */
  "train.watchdog": {
    queue: "maintenance",
    payload: ZTrainRunPayload,
    describe: (payload: { runId: string }) => `Training watchdog ${payload.runId.slice(0, 8)}`,
  },
  /** Runs (or continues) a distillation job; `watchdog` runs are queued by a live runner to take over if its worker dies. */
  "distill.run": {
    queue: "distill",
    payload: ZDistillRunPayload,
    describe: (payload: { distillationJobId: string; watchdog?: boolean }) =>
      `${payload.watchdog ? "Distillation watchdog" : "Distillation"} ${payload.distillationJobId.slice(0, 8)}`,
  },
  "import.benchmark": {
    queue: "import",
    payload: ZImportBenchmarkInput,
    describe: (payload: { format: string; filePath: string }) => `Import ${payload.format} benchmark from ${payload.filePath}`,
  },
  "eval.score": {
    queue: "eval",
    payload: ZScoreEvaluationPayload,
    describe: (payload: { evaluationId: string }) => `Score evaluation ${payload.evaluationId}`,
  },
  /** Generates an evaluation's samples (continuing a half-done one), then scores them as eval.score does. */
  "eval.generate": {
    queue: "eval",
    payload: ZGenerateEvaluationPayload,
    describe: (payload: { evaluationId: string }) => `Evaluate ${payload.evaluationId.slice(0, 8)} (generate and score)`,
  },
  /** Demo: waits for the demo training run, then launches evaluations of it and its base model on the demo benchmarks. */
  "eval.demo": {
    queue: "eval",
    payload: ZDemoEvaluationsPayload,
    describe: (payload: { runId: string }) => `Demo evaluations of run ${payload.runId.slice(0, 8)}`,
  },
  /** A job that counts to `steps`, one step every `stepMs`: used by the queue's own tests and by `disco jobs selftest`. */
  "maintenance.count": {
    queue: "maintenance",
    payload: z
      .object({
        steps: z.number().int().min(1).max(10_000),
        stepMs: z.number().int().min(0).max(60_000).default(0),
        failTimes: z.number().int().min(0).max(10).default(0),
      })
      .strict(),
    describe: (payload: { steps: number }) => `Count to ${payload.steps}`,
  },
} as const satisfies Record<string, { queue: TQueue; payload: z.ZodType; describe: (payload: never) => string }>;

export type TJobKind = keyof typeof JOB_DEFINITIONS;
export type TJobPayload<K extends TJobKind> = z.infer<(typeof JOB_DEFINITIONS)[K]["payload"]>;
export type TJobPayloadInput<K extends TJobKind> = z.input<(typeof JOB_DEFINITIONS)[K]["payload"]>;

/** What pg-boss stores as a job's data: the kind plus its validated payload. */
export const ZJobEnvelope = z.object({ kind: z.string(), payload: z.unknown(), createdById: z.string().nullable().optional() });
export type TJobEnvelope = z.infer<typeof ZJobEnvelope>;

export function isJobKind(kind: string): kind is TJobKind {
  return Object.hasOwn(JOB_DEFINITIONS, kind);
}

export function parseQueues(value: string): TQueue[] {
  const names = value.split(",").map((name) => name.trim()).filter(Boolean);
  if (names.length === 0) throw new Error(`--queues needs at least one of: ${QUEUES.join(", ")}`);
  return names.map((name) => {
    const parsed = ZQueue.safeParse(name);
    if (!parsed.success) throw new Error(`Unknown queue "${name}": expected one of ${QUEUES.join(", ")}`);
    return parsed.data;
  });
}
