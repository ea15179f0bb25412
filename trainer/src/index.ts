// @disco/trainer's one entry for the app (lib/training) and scripts: everything a run needs, nothing TensorFlow-free
// code should import (pages and API routes import only ./config and ./metrics; this module loads TensorFlow.js).
//
//   const result = await runTraining({
//     runDir,                       // checkpoints go to <runDir>/checkpoints/step-<N>/ (PEFT adapter + optimizer + state)
//     baseModelDir,                 // a Hugging Face checkpoint directory (config.json + *.safetensors)
//     parentAdapterDir,             // optional: a finished run's adapter, merged into the base first (SFT -> LPO)
//     config,                       // ZTrainConfig (config.ts): method, preset, LoRA, optimizer, batch sizes, cadence, seed
//     train, val,                   // dataset-version records (data/types.ts ZTrainingRecord); other splits are ignored
//     tokenizer,                    // the model's tokenizer: lib/tokenizers' CodeTokenizer or any { encode(text): ids }
//     computeMasks,                 // lib/masks' computeTokenMasks(rejectedIds, chosenIds)
//     resume,                       // true (latest checkpoint of runDir) or { checkpointDir } to continue a run
//     preferredBackend,             // optional; else tfjs-node-gpu, tfjs-node, wasm, cpu — the first that loads
//     hooks: { onMetrics, onLog, onCheckpoint, shouldStop },
//   });
//   // -> { status: "succeeded" | "cancelled", steps, totalSteps, backend, checkpoint }
//
// Contract for the caller:
// - onMetrics receives TMetricPoint[] (metrics.ts) for one step at a time: TRL's names plus tokens_per_second, memory/*,
//   and eval/loss every evalEvery steps. After a resume, steps after the checkpoint are reported again with the same
//   values (the worker may have died after reporting them): store points keyed by (run, name, step).
// - shouldStop is polled before every micro-batch; when it returns true the partial step is dropped, a checkpoint of
//   the last whole step is written (so the run can be resumed), and runTraining resolves with status "cancelled".
// - onCheckpoint follows every checkpoint write: { step, path, isFinal, sizeBytes }. The final one (isFinal) holds the
//   run's adapter in PEFT's layout; pass its path as a later run's parentAdapterDir.
// - Errors (bad config, unknown architecture, token ids outside the vocabulary, a NaN loss) reject with a message
//   naming the problem; checkpoints written so far stay and a retry with resume continues from the latest.
import { z } from "zod";
import type { TBackendName } from "./backends";
import { ZTrainConfig, type TTrainConfig } from "./config";
import { prepareExamples, type TPreparedData } from "./data/prepare";
import { ZTrainingRecord, type TMaskFunction, type TTokenizerLike, type TTrainingRecord } from "./data/types";
import { readModelConfig } from "./models/load";
import type { TTrainingHooks } from "./train/loop";
import type { TExample } from "./train/methods";
import { runOnExamples, type TRunTrainingResult } from "./train/run";

export type { TTrainConfig } from "./config";
export type { TMetricPoint } from "./metrics";
export type { TMaskFunction, TTokenizerLike, TTrainingRecord, TTokenizedPair, TTokenizedSft } from "./data/types";
export type { TCheckpointInfo, TLogLevel, TTrainingHooks } from "./train/loop";
export type { TRunTrainingResult, TRunExamplesOptions } from "./train/run";
export { prepareExamples } from "./data/prepare";
export { runOnExamples } from "./train/run";
export { findLatestCheckpoint, readTrainerState } from "./train/checkpoint";
export { attachLora, detachLora, mergeLora } from "./lora/attach";
export { loadAdapter, readAdapterConfig, saveAdapter, ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE } from "./lora/peft";
export { loadCausalLM } from "./models/load";
export { initBackend, activeBackend } from "./tf";

/** A tokenizer as the app holds one: lib/tokenizers' CodeTokenizer (encodeIds) or the data module's TTokenizerLike. */
export type TAnyTokenizer = TTokenizerLike | { encodeIds(text: string): number[]; eosTokenId?: number };

export type TRunTrainingOptions = {
  runDir: string;
  baseModelDir: string;
  parentAdapterDir?: string;
  config: TTrainConfig;
  train: readonly TTrainingRecord[];
  val: readonly TTrainingRecord[];
  tokenizer: TAnyTokenizer;
  computeMasks: TMaskFunction;
  resume?: boolean | { checkpointDir: string; step?: number };
  preferredBackend?: TBackendName;
  hooks: TTrainingHooks;
};

// Records arrive from the database layer; extra columns are tolerated, missing or malformed ones are not.
const ZRecords = z.array(ZTrainingRecord.strip());

/** The model's end-of-sequence id from its config.json (appended to every response so the model learns to stop). */
export function eosTokenIdOf(modelConfig: Record<string, unknown>): number | undefined {
  const raw = modelConfig.eos_token_id;
  const id = Array.isArray(raw) ? raw[0] : raw;
  const vocab = modelConfig.vocab_size;
  return typeof id === "number" && Number.isInteger(id) && id >= 0 && (typeof vocab !== "number" || id < vocab) ? id : undefined;
}

/** Adapts either tokenizer shape to the data module's { encode(text): ids, eosTokenId }. */
export function toTokenizerLike(tokenizer: TAnyTokenizer, eosTokenId: number | undefined): TTokenizerLike {
  const encode = "encodeIds" in tokenizer ? (text: string) => tokenizer.encodeIds(text) : (text: string) => (tokenizer as TTokenizerLike).encode(text);
  return { encode, eosTokenId: tokenizer.eosTokenId ?? eosTokenId };
}

function examplesOf(data: TPreparedData): TExample[] {
  return data.kind === "sft" ? data.examples : data.pairs;
}

/** Tokenizes the records for the run's method (masks, truncation, SafeCoder oversampling) and trains. */
export async function runTraining(options: TRunTrainingOptions): Promise<TRunTrainingResult> {
  const config = ZTrainConfig.parse(options.config);
  const parse = (records: readonly TTrainingRecord[], name: string) => {
    const parsed = ZRecords.safeParse(records);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${name} records: ${issue.path.join(".")}: ${issue.message}`);
    }
    return parsed.data;
  };
  const tokenizer = toTokenizerLike(options.tokenizer, eosTokenIdOf(readModelConfig(options.baseModelDir)));
  const train = prepareExamples(parse(options.train, "train"), config, tokenizer, options.computeMasks, "train");
  // Validation never oversamples: it measures the split as it is.
  const val = prepareExamples(parse(options.val, "val"), { ...config, loss: { ...config.loss, oversampleK: 0 } }, tokenizer, options.computeMasks, "val");
  const trainExamples = examplesOf(train);
  let summary = `${trainExamples.length} training and ${examplesOf(val).length} validation examples (${train.truncated} truncated)`;
  if (train.kind === "preference") summary += `; ${train.emptyChosenMasks} pairs with an empty m+, ${train.emptyRejectedMasks} with an empty m- (rule: ${config.loss.emptyMask})`;
  await options.hooks.onLog?.("info", summary);
  return runOnExamples({
    runDir: options.runDir,
    baseModelDir: options.baseModelDir,
    parentAdapterDir: options.parentAdapterDir,
    config,
    train: trainExamples,
    val: examplesOf(val),
    resume: options.resume,
    preferredBackend: options.preferredBackend,
    hooks: options.hooks,
  });
}
