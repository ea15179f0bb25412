// The training loop: LoRA on a frozen base, AdamW with a cosine schedule, gradient accumulation to the effective
// batch size, clipping, metrics with TRL's names, validation, checkpoints and exact resume. One optimizer step:
//   for each micro-batch: tidy -> variableGrads(loss * share of the step's examples) -> add into the accumulators
//   clip the summed gradients by global norm (grad_norm is the norm before clipping, as TRL logs it)
//   AdamW update at the schedule's learning rate -> dispose everything the step made
// Random choices (data order, dropout) derive from (seed, epoch) and (seed, step, micro-batch), so a run is
// deterministic on one backend and a checkpoint's (step, data position) is its whole RNG state.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { TTrainConfig } from "../config";
import { disposeBatch } from "../data/batch";
import { attachLora, loraVariables, withAdaptersDisabled } from "../lora/attach";
import { keepStats, readStats } from "../losses/index";
import { METRIC_NAMES, type TMetricName, type TMetricPoint } from "../metrics";
import type { ICausalLM } from "../models/types";
import { tf } from "../tf";
import { AdamW, clipByGlobalNorm } from "./adamw";
import {
  assertResumableConfig,
  restoreCheckpoint,
  saveCheckpoint,
  type TMetricWindow,
  type TTrainerState,
} from "./checkpoint";
import { assertExampleKind, collate, microBatchLoss, needsReference, pairSequenceLogps, type TExample, type TReferenceLogps } from "./methods";
import { deriveSeed } from "../data/rng";
import { epochOrder, nextStepIndices, totalStepsFor } from "./order";
import { learningRateAt } from "./schedule";

export type TLogLevel = "debug" | "info" | "warn" | "error";

export type TCheckpointInfo = { step: number; path: string; isFinal: boolean; sizeBytes: number };

/** How a run reports to its caller. Every hook is awaited, so a slow writer slows training instead of piling up. */
export type TTrainingHooks = {
  onMetrics?(points: TMetricPoint[]): Promise<void> | void;
  onLog?(level: TLogLevel, message: string): Promise<void> | void;
  onCheckpoint?(info: TCheckpointInfo): Promise<void> | void;
  /** Polled before every micro-batch: true stops the run within one optimizer step (the partial step is dropped). */
  shouldStop?(): Promise<boolean> | boolean;
};

export type TTrainLoopOptions = {
  model: ICausalLM;
  runDir: string;
  config: TTrainConfig;
  train: readonly TExample[];
  val: readonly TExample[];
  padTokenId: number;
  backend: string;
  /** Recorded in checkpoints and adapter_config.json (base_model_name_or_path). */
  baseModel: string | null;
  parentAdapter: string | null;
  /** A checkpoint folder to continue from (written by this loop under the same config). */
  resumeFrom?: string;
  hooks: TTrainingHooks;
};

export type TTrainLoopResult = {
  status: "succeeded" | "cancelled";
  /** Optimizer steps completed (the last checkpoint's step). */
  steps: number;
  totalSteps: number;
  finalCheckpoint: TCheckpointInfo | null;
};

/** Metrics averaged over the steps of a logging window (TRL averages its logged values the same way). */
const WINDOW_AVERAGED: readonly TMetricName[] = [
  "loss",
  "rewards/chosen",
  "rewards/rejected",
  "rewards/margins",
  "rewards/accuracies",
  "logps/chosen",
  "logps/rejected",
  "nll_loss",
  "mask_fraction/chosen",
  "mask_fraction/rejected",
  "regularizer",
];

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

const emptyWindow = (): TMetricWindow => ({ steps: 0, sums: {}, tokens: 0, seconds: 0 });

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Reference log-probs of every pair, from the base model alone (adapters off): computed once, no gradient. */
function referenceLogps(model: ICausalLM, examples: readonly TExample[], config: TTrainConfig, padTokenId: number): TReferenceLogps[] {
  const out: TReferenceLogps[] = [];
  withAdaptersDisabled(model, () => {
    for (const group of chunk(examples, config.microBatchSize)) {
      const batch = collate(config.method, group, config, padTokenId);
      try {
        const logps = pairSequenceLogps(model, batch);
        for (let i = 0; i < group.length; i++) out.push({ chosen: [logps.chosen[i]!], rejected: [logps.rejected[i]!] });
      } finally {
        disposeBatch(batch);
      }
    }
  });
  return out;
}

/**
 * DPO's reference log-probs are a pure function of the base model, the parent adapter and the examples, and cost a
 * forward pass over the whole dataset: a run keeps them in its folder so a resumed run does not pay again. The key
 * hashes everything they depend on, so a changed input recomputes them.
 */
const REFERENCE_CACHE_FILE = "reference-logps.json";

function referenceCacheKey(options: TTrainLoopOptions, padTokenId: number): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify([options.baseModel, options.parentAdapter, padTokenId]));
  for (const example of [...options.train, null, ...options.val]) hash.update(JSON.stringify(example));
  return hash.digest("hex");
}

function readReferenceCache(file: string, key: string): { train: TReferenceLogps[]; val: TReferenceLogps[] | null } | null {
  try {
    const saved = JSON.parse(fs.readFileSync(file, "utf8")) as { key?: string; train?: [number, number][]; val?: [number, number][] | null };
    if (saved.key !== key || !Array.isArray(saved.train)) return null;
    const unpack = (rows: [number, number][]) => rows.map(([chosen, rejected]) => ({ chosen: [chosen], rejected: [rejected] }));
    return { train: unpack(saved.train), val: saved.val ? unpack(saved.val) : null };
  } catch {
    return null; // missing or unreadable: recompute
  }
}

function writeReferenceCache(file: string, key: string, train: TReferenceLogps[], val: TReferenceLogps[] | null): void {
  const pack = (rows: TReferenceLogps[]) => rows.map((row) => [row.chosen[0], row.rejected[0]]);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify({ key, train: pack(train), val: val ? pack(val) : null }));
  fs.renameSync(tmp, file);
}

function gatherReference(all: TReferenceLogps[] | null, indices: number[]): TReferenceLogps | undefined {
  if (!all) return undefined;
  return { chosen: indices.map((i) => all[i]!.chosen[0]!), rejected: indices.map((i) => all[i]!.rejected[0]!) };
}

/** Mean validation loss over `val` (no dropout, no gradient), weighted by examples per micro-batch. */
function validationLoss(model: ICausalLM, val: readonly TExample[], config: TTrainConfig, padTokenId: number, reference: TReferenceLogps[] | null): number {
  let total = 0;
  let count = 0;
  const indices = val.map((_, i) => i);
  for (const group of chunk(indices, config.microBatchSize)) {
    const batch = collate(config.method, group.map((i) => val[i]!), config, padTokenId);
    try {
      const value = tf.tidy(() => {
        const result = microBatchLoss(model, batch, config, { training: false, reference: gatherReference(reference, group) });
        return result.loss;
      });
      total += value.dataSync()[0]! * group.length;
      value.dispose();
      count += group.length;
    } finally {
      disposeBatch(batch);
    }
  }
  return count === 0 ? 0 : total / count;
}

function toPoints(step: number, values: Partial<Record<TMetricName, number>>): TMetricPoint[] {
  const points: TMetricPoint[] = [];
  for (const name of METRIC_NAMES) {
    const value = values[name];
    if (value !== undefined && Number.isFinite(value)) points.push({ name, step, value });
  }
  return points;
}

export async function trainLoop(options: TTrainLoopOptions): Promise<TTrainLoopResult> {
  // The optimizer's moments are freed however the run ends (a hook may throw, a checkpoint may fail to restore).
  const cleanup: (() => void)[] = [];
  try {
    return await trainLoopBody(options, cleanup);
  } finally {
    for (const dispose of cleanup) dispose();
  }
}

async function trainLoopBody(options: TTrainLoopOptions, cleanup: (() => void)[]): Promise<TTrainLoopResult> {
  const { model, runDir, config, train, val, padTokenId, hooks } = options;
  const log = async (level: TLogLevel, message: string) => {
    await hooks.onLog?.(level, message);
  };
  if (train.length === 0) throw new Error("no training examples (the dataset version's train split is empty after preparation)");
  assertExampleKind(config.method, train, "train");
  assertExampleKind(config.method, val, "val");

  attachLora(model, config.lora, config.seed);
  const params = loraVariables(model);
  const paramByVariableName = new Map([...params].map(([name, variable]) => [variable.name, name]));
  const optimizer = new AdamW(params, {
    beta1: config.optimizer.beta1,
    beta2: config.optimizer.beta2,
    epsilon: config.optimizer.epsilon,
    weightDecay: config.optimizer.weightDecay,
  });
  cleanup.push(() => optimizer.dispose());
  const trainableCount = [...params.values()].reduce((total, variable) => total + variable.size, 0);

  const totalSteps = totalStepsFor(train.length, config);
  let state: TTrainerState = {
    version: 1,
    step: 0,
    totalSteps,
    position: { epoch: 0, index: 0 },
    rng: { seed: config.seed },
    config,
    window: emptyWindow(),
    backend: options.backend,
    baseModel: options.baseModel,
    parentAdapter: options.parentAdapter,
    savedAt: new Date().toISOString(),
  };
  if (options.resumeFrom) {
    const restored = restoreCheckpoint(options.resumeFrom, model, optimizer);
    assertResumableConfig(restored.config, config, options.resumeFrom);
    if (restored.totalSteps !== totalSteps) {
      throw new Error(`${options.resumeFrom}: the run had ${restored.totalSteps} steps, this data gives ${totalSteps}; resume with the same dataset`);
    }
    state = { ...restored, config, backend: options.backend };
    await log("info", `resumed from step ${state.step} (epoch ${state.position.epoch}, example ${state.position.index})`);
  }
  await log("info", `LoRA r=${config.lora.r} on ${params.size / 2} modules: ${trainableCount.toLocaleString("en-US")} trainable parameters; ${totalSteps} steps of ${config.effectiveBatchSize} examples (micro-batches of ${config.microBatchSize})`);

  let reference: TReferenceLogps[] | null = null;
  let valReference: TReferenceLogps[] | null = null;
  if (needsReference(config.method)) {
    const cacheFile = path.join(runDir, REFERENCE_CACHE_FILE);
    const key = referenceCacheKey(options, padTokenId);
    const cached = readReferenceCache(cacheFile, key);
    if (cached) {
      ({ train: reference, val: valReference } = cached);
      await log("info", `reusing the reference model's log-probs from ${REFERENCE_CACHE_FILE}`);
    } else {
      await log("info", `computing the reference model's log-probs for ${train.length + val.length} pairs (adapters off)`);
      reference = referenceLogps(model, train, config, padTokenId);
      valReference = val.length > 0 ? referenceLogps(model, val, config, padTokenId) : null;
      writeReferenceCache(cacheFile, key, reference, valReference);
    }
  }

  const checkpoint = async (isFinal: boolean): Promise<TCheckpointInfo> => {
    state.savedAt = new Date().toISOString();
    const saved = saveCheckpoint(runDir, model, optimizer, state);
    const info = { step: state.step, path: saved.path, isFinal, sizeBytes: saved.sizeBytes };
    await hooks.onCheckpoint?.(info);
    return info;
  };

  let orderCache = { epoch: state.position.epoch, order: epochOrder(train.length, config.seed, state.position.epoch) };
  let lastCheckpointStep = options.resumeFrom ? state.step : -1;
  let cancelled = false;

  while (state.step < totalSteps) {
    const stepNumber = state.step + 1;
    const started = performance.now();
    if (orderCache.epoch !== state.position.epoch) {
      orderCache = { epoch: state.position.epoch, order: epochOrder(train.length, config.seed, state.position.epoch) };
    }
    const { indices, next } = nextStepIndices(train.length, config.effectiveBatchSize, config.seed, state.position, orderCache);
    const micro = chunk(indices, config.microBatchSize);

    let accumulated: Map<string, tf.Tensor> | null = null;
    const sums: Partial<Record<TMetricName, number>> = {};
    let tokens = 0;
    for (let m = 0; m < micro.length; m++) {
      // A micro-batch is seconds of synchronous wasm work; give the event loop a turn between them so the worker's
      // other jobs (analyzer subprocess replies, heartbeats, distillation requests) are not starved into timeouts.
      await yieldToEventLoop();
      if (await hooks.shouldStop?.()) {
        cancelled = true;
        break;
      }
      const group = micro[m]!;
      const share = group.length / indices.length;
      const batch = collate(config.method, group.map((i) => train[i]!), config, padTokenId);
      try {
        let stats = {};
        const { value, grads } = tf.variableGrads(() => {
          const result = microBatchLoss(model, batch, config, {
            training: true,
            seed: deriveSeed(config.seed, stepNumber, m),
            reference: gatherReference(reference, group),
          });
          stats = keepStats(result.stats);
          return result.loss.mul(share) as tf.Scalar;
        }, [...params.values()]);
        sums.loss = (sums.loss ?? 0) + value.dataSync()[0]!;
        value.dispose();
        for (const [name, stat] of Object.entries(readStats(stats)) as [TMetricName, number][]) {
          sums[name] = (sums[name] ?? 0) + stat * share;
        }
        if (!accumulated) {
          accumulated = new Map(Object.entries(grads).map(([variableName, grad]) => [paramByVariableName.get(variableName)!, grad]));
        } else {
          for (const [variableName, grad] of Object.entries(grads)) {
            const name = paramByVariableName.get(variableName)!;
            const previous = accumulated.get(name)!;
            accumulated.set(name, tf.add(previous, grad));
            previous.dispose();
            grad.dispose();
          }
        }
        tokens += batch.tokens;
      } finally {
        disposeBatch(batch);
      }
    }
    if (cancelled || !accumulated) {
      if (accumulated) tf.dispose([...accumulated.values()]);
      break;
    }

    if (!Number.isFinite(sums.loss!)) throw new Error(`the loss became ${sums.loss} at step ${stepNumber}: lower the learning rate or check the data`);
    const clipped = clipByGlobalNorm(accumulated, config.optimizer.maxGradNorm);
    tf.dispose([...accumulated.values()]);
    const lr = learningRateAt(stepNumber, totalSteps, config.optimizer.learningRate, config.optimizer.warmupRatio);
    optimizer.apply(clipped.grads, lr);
    tf.dispose([...clipped.grads.values()]);

    state.step = stepNumber;
    state.position = next;
    const window = state.window;
    window.steps += 1;
    window.tokens += tokens;
    window.seconds += (performance.now() - started) / 1000;
    for (const name of WINDOW_AVERAGED) {
      if (sums[name] !== undefined) window.sums[name] = (window.sums[name] ?? 0) + sums[name]!;
    }

    const points: TMetricPoint[] = [];
    const isLast = state.step === totalSteps;
    if (state.step % config.logEvery === 0 || isLast) {
      const values: Partial<Record<TMetricName, number>> = {};
      for (const [name, sum] of Object.entries(window.sums)) values[name as TMetricName] = sum / window.steps;
      const memory = tf.memory();
      Object.assign(values, {
        grad_norm: clipped.norm,
        learning_rate: lr,
        epoch: state.position.epoch + state.position.index / train.length,
        tokens_per_second: window.seconds > 0 ? window.tokens / window.seconds : 0,
        "memory/bytes": memory.numBytes,
        "memory/tensors": memory.numTensors,
      });
      points.push(...toPoints(state.step, values));
      state.window = emptyWindow();
    }
    if (config.evalEvery > 0 && val.length > 0 && (state.step % config.evalEvery === 0 || isLast)) {
      points.push(...toPoints(state.step, { "eval/loss": validationLoss(model, val, config, padTokenId, valReference) }));
    }
    if (points.length > 0) await hooks.onMetrics?.(points);
    if (!isLast && config.checkpointEvery > 0 && state.step % config.checkpointEvery === 0) {
      await checkpoint(false);
      lastCheckpointStep = state.step;
    }
  }

  let finalCheckpoint: TCheckpointInfo | null = null;
  if (!cancelled) {
    finalCheckpoint = await checkpoint(true);
    await log("info", `finished ${state.step} steps`);
  } else {
    // Keep what was learned: a cancelled run can be resumed from its last completed step.
    if (state.step > 0 && state.step !== lastCheckpointStep) finalCheckpoint = await checkpoint(false);
    await log("info", `stopped at step ${state.step} of ${totalSteps}`);
  }
  return { status: cancelled ? "cancelled" : "succeeded", steps: state.step, totalSteps, finalCheckpoint };
}
