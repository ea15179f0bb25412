// Launching an evaluation: check everything the generation job would otherwise trip over later (the run finished
// with a final checkpoint, the model's files exist, the provider is known, the benchmark has items), write the
// evaluation as QUEUED with its full decoding settings, the checkpoint and the benchmark's hash, and queue an
// `eval.generate` job on the `eval` queue. Exactly one of run, model or frontier model is evaluated.
// Zod and Prisma only: the API routes and the CLI call this (no TensorFlow here).
import fs from "node:fs";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { enqueueJob } from "../jobs/enqueue";
import { ZTrainConfig } from "../../trainer/src/config";
import {
  DEFAULT_MAX_NEW_TOKENS,
  DEFAULT_SAMPLES,
  DEFAULT_SEED,
  DEFAULT_TEMPERATURE,
  DEFAULT_TOP_K,
  DEFAULT_TOP_P,
  type TDecodingSettings,
} from "./generate/decoding";
import type { TPromptStyle } from "./prompts";

export type TFieldIssue = { path: string; message: string };

export class EvaluationLaunchError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 = 400,
    readonly details: TFieldIssue[] = [],
  ) {
    super(message);
    this.name = "EvaluationLaunchError";
  }
}

export const ZLaunchEvaluationInput = z
  .object({
    runId: z.uuid({ message: "run id must be a UUID" }).nullish(),
    /** A checkpoint of the run; default its final one. */
    checkpointId: z.uuid({ message: "checkpoint id must be a UUID" }).nullish(),
    modelId: z.uuid({ message: "model id must be a UUID" }).nullish(),
    frontierModel: z.string().trim().min(1, "name the frontier model").max(200).nullish(),
    providerId: z.uuid({ message: "provider id must be a UUID" }).nullish(),
    benchmarkId: z.uuid({ message: "benchmark id must be a UUID" }).nullish(),
    /** The benchmark by name (the CLI's --benchmark); benchmarkId wins when both are given. */
    benchmarkName: z.string().trim().min(1).max(200).nullish(),
    samples: z.number().int().min(1, "at least 1 sample").max(100, "at most 100 samples").default(DEFAULT_SAMPLES),
    temperature: z.number().min(0, "temperature must be >= 0").max(2, "temperature must be <= 2").nullish(),
    topP: z.number().gt(0, "top_p must be > 0").max(1, "top_p must be <= 1").nullish(),
    topK: z.number().int().min(0, "top_k must be >= 0").nullish(),
    maxNewTokens: z.number().int().min(1, "at least 1 new token").max(4096, "at most 4096 new tokens").nullish(),
    seed: z.number().int().nullish(),
    /** Generate for the first N items only (by external id): quick looks and demos. */
    limit: z.number().int().min(1, "limit must be at least 1").nullish(),
    tags: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
  })
  .strict();
export type TLaunchEvaluationInput = z.input<typeof ZLaunchEvaluationInput>;

export type TLaunchedEvaluation = {
  id: string;
  status: string;
  jobId: string;
  benchmark: { id: string; name: string; kind: string; items: number };
  subject: string;
  decoding: TDecodingSettings;
};

function fail(message: string, path: string, status: 400 | 404 | 409 = 400): never {
  throw new EvaluationLaunchError(message, status, [{ path, message }]);
}

/** Validates and writes the evaluation row; does not queue (launchEvaluation does). */
export async function createEvaluation(db: Db, rawInput: TLaunchEvaluationInput, options: { createdById: string | null }) {
  const parsed = ZLaunchEvaluationInput.safeParse(rawInput);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({ path: issue.path.join(".") || "(input)", message: issue.message }));
    throw new EvaluationLaunchError(`invalid evaluation: ${details.map((d) => `${d.path}: ${d.message}`).join("; ")}`, 400, details);
  }
  const input = parsed.data;
  const subjects = [input.runId ? "runId" : null, input.modelId ? "modelId" : null, input.frontierModel ? "frontierModel" : null].filter(Boolean);
  if (subjects.length !== 1) {
    const message = subjects.length === 0 ? "choose a run, a registered model or a frontier model to evaluate" : `choose only one of ${subjects.join(", ")}`;
    throw new EvaluationLaunchError(message, 400, [{ path: "subject", message }]);
  }
  if (input.checkpointId && !input.runId) fail("a checkpoint belongs to a run: choose the run too", "checkpointId");
  if (input.providerId && !input.frontierModel) fail("a provider serves a frontier model: name the model", "providerId");

  const benchmark = input.benchmarkId
    ? await db.benchmark.findUnique({ where: { id: input.benchmarkId }, include: { _count: { select: { items: true } } } })
    : input.benchmarkName
      ? await db.benchmark.findUnique({ where: { name: input.benchmarkName }, include: { _count: { select: { items: true } } } })
      : fail("choose a benchmark", "benchmarkId");
  if (!benchmark) fail(input.benchmarkId ? `no benchmark with id ${input.benchmarkId}` : `no benchmark named "${input.benchmarkName}" (import it first: disco bench import)`, "benchmarkId", 404);
  if (benchmark._count.items === 0) fail(`benchmark "${benchmark.name}" has no items`, "benchmarkId");

  let runId: string | null = null;
  let checkpointId: string | null = null;
  let modelId: string | null = null;
  let frontierModel: string | null = null;
  let providerId: string | null = null;
  let promptStyle: TPromptStyle;
  let subject: string;

  if (input.runId) {
    const run = await db.run.findUnique({ where: { id: input.runId }, include: { checkpoints: { orderBy: { step: "desc" } }, baseModel: true } });
    if (!run) fail(`no run with id ${input.runId}`, "runId", 404);
    const final = run.checkpoints.find((c) => c.isFinal);
    if (run.status !== "SUCCEEDED" || !final) fail(`run "${run.name}" has not succeeded with a final checkpoint (status ${run.status.toLowerCase()})`, "runId");
    if (!run.baseModel) fail(`run "${run.name}" has no base model`, "runId");
    const checkpoint = input.checkpointId ? run.checkpoints.find((c) => c.id === input.checkpointId) : final;
    if (!checkpoint) fail(`checkpoint ${input.checkpointId} is not a checkpoint of run "${run.name}"`, "checkpointId");
    if (!fs.existsSync(checkpoint.path)) fail(`the checkpoint's files are missing (${checkpoint.path})`, "checkpointId", 409);
    if (!fs.existsSync(run.baseModel.path)) fail(`the base model's files are missing (${run.baseModel.path})`, "runId", 409);
    const config = ZTrainConfig.safeParse(run.config);
    // Models trained on R + y answer with a security thought first (method.md section 5); utility benchmarks use the
    // Response format for every trained model, as the paper does.
    const withReasoning = config.success ? config.data.includeReasoning : true;
    promptStyle = benchmark.kind === "SECURITY" && withReasoning ? "security-thought" : "response";
    runId = run.id;
    checkpointId = checkpoint.id;
    subject = `${run.name} (step ${checkpoint.step})`;
  } else if (input.modelId) {
    const model = await db.registeredModel.findUnique({ where: { id: input.modelId } });
    if (!model) fail(`no registered model with id ${input.modelId}`, "modelId", 404);
    if (!fs.existsSync(model.path)) fail(`the model's files are missing (${model.path})`, "modelId", 409);
    // A base model continues partial code as it is (prompts.ts falls back to the Response format for other items).
    promptStyle = "completion";
    modelId = model.id;
    subject = model.name;
  } else {
    if (!input.providerId) fail("choose the provider that serves the frontier model", "providerId");
    const provider = await db.llmProvider.findUnique({ where: { id: input.providerId }, select: { id: true, name: true } });
    if (!provider) fail(`no provider with id ${input.providerId}`, "providerId", 404);
    promptStyle = "frontier";
    frontierModel = input.frontierModel!;
    providerId = provider.id;
    subject = `${frontierModel} via ${provider.name}`;
  }
  if (input.frontierModel && (input.topK !== undefined && input.topK !== null)) fail("top_k is not part of the chat completions API", "topK");

  const decoding: TDecodingSettings = {
    temperature: input.temperature ?? DEFAULT_TEMPERATURE[benchmark.kind],
    // The chat completions client sends temperature and max tokens only; recorded as null so nobody reads a default in.
    topP: frontierModel ? null : (input.topP ?? DEFAULT_TOP_P),
    topK: frontierModel ? null : (input.topK ?? DEFAULT_TOP_K),
    maxNewTokens: input.maxNewTokens ?? DEFAULT_MAX_NEW_TOKENS,
    n: input.samples,
    seed: input.seed ?? DEFAULT_SEED,
    limit: input.limit ?? null,
    promptStyle,
    promptPreamble: false,
    providerId,
    stop: [],
  };
  const evaluation = await db.evaluation.create({
    data: {
      benchmarkId: benchmark.id,
      runId,
      checkpointId,
      modelId,
      frontierModel,
      decoding: decoding as object,
      samplesPerItem: input.samples,
      benchmarkHash: benchmark.sourceHash,
      status: "QUEUED",
      tags: input.tags,
      createdById: options.createdById,
    },
  });
  return {
    evaluation,
    benchmark: { id: benchmark.id, name: benchmark.name, kind: benchmark.kind, items: Math.min(benchmark._count.items, input.limit ?? Infinity) },
    subject,
    decoding,
  };
}

export async function launchEvaluation(db: Db, rawInput: TLaunchEvaluationInput, options: { createdById: string | null }): Promise<TLaunchedEvaluation> {
  const created = await createEvaluation(db, rawInput, options);
  const jobId = await enqueueJob(db, "eval.generate", { evaluationId: created.evaluation.id }, { createdById: options.createdById });
  await recordAudit(db, {
    actorId: options.createdById,
    action: "evaluation.launch",
    entityType: "evaluation",
    entityId: created.evaluation.id,
    detail: { benchmark: created.benchmark.name, subject: created.subject, samples: created.decoding.n, limit: created.decoding.limit },
  });
  return { id: created.evaluation.id, status: created.evaluation.status, jobId, benchmark: created.benchmark, subject: created.subject, decoding: created.decoding };
}

/** Stops an evaluation: the generation job sees the status between items and stops; a finished one is left alone. */
export async function cancelEvaluation(db: Db, id: string, actorId: string | null) {
  const evaluation = await db.evaluation.findUnique({ where: { id }, select: { id: true, status: true } });
  if (!evaluation) throw new EvaluationLaunchError(`no evaluation with id ${id}`, 404);
  if (evaluation.status !== "QUEUED" && evaluation.status !== "RUNNING") {
    throw new EvaluationLaunchError(`the evaluation has already finished (${evaluation.status.toLowerCase()})`, 409);
  }
  const updated = await db.evaluation.update({ where: { id }, data: { status: "CANCELLED", finishedAt: new Date() } });
  await recordAudit(db, { actorId, action: "evaluation.cancel", entityType: "evaluation", entityId: id, detail: {} });
  return { id: updated.id, status: updated.status };
}
