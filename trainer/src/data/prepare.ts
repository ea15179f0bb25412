// One entry point for the training loop: a dataset version's records -> the tokenized examples of one split for the
// run's method (SafeCoder's oversampling included), and index lists -> collated micro-batches.
import type { TTrainConfig } from "../config";
import { collatePreferenceBatch, collateSftBatch, type TBatchArrays } from "./batch";
import { oversampleGroups } from "./order";
import { tokenizePair, tokenizeSft } from "./tokenize";
import type { TMaskFunction, TTokenizedPair, TTokenizedSft, TTokenizerLike, TTrainingRecord } from "./types";

export type TPreparedData =
  | { kind: "sft"; examples: TTokenizedSft[]; truncated: number }
  | {
      kind: "preference";
      pairs: TTokenizedPair[];
      truncated: number;
      /** Pairs whose m+ / m- has no token left (after truncation): what config.loss.emptyMask will act on. */
      emptyChosenMasks: number;
      emptyRejectedMasks: number;
    };

export type TPrepareConfig = Pick<TTrainConfig, "method" | "includeReasoning" | "maxLength" | "maxPromptLength" | "loss" | "seed">;

/**
 * Tokenizes the records of `split` for the method: SFT gets prompt + (R +) y+ examples, every other method preference
 * pairs with masks. SafeCoder pairs are oversampled per (CWE, language) group to config.loss.oversampleK (seeded).
 */
export function prepareExamples(
  records: readonly TTrainingRecord[],
  config: TPrepareConfig,
  tokenizer: TTokenizerLike,
  computeMasks: TMaskFunction,
  split: TTrainingRecord["split"] = "train",
): TPreparedData {
  const selected = records.filter((r) => r.split === split);
  const options = { includeReasoning: config.includeReasoning, maxLength: config.maxLength, maxPromptLength: config.maxPromptLength };
  if (config.method === "sft") {
    const examples = selected.map((r) => tokenizeSft(r, tokenizer, options));
    return { kind: "sft", examples, truncated: examples.filter((e) => e.truncated).length };
  }
  let pairs = selected.map((r) => tokenizePair(r, tokenizer, computeMasks, options));
  if (config.method === "safecoder" && config.loss.oversampleK > 0) pairs = oversampleGroups(pairs, config.loss.oversampleK, config.seed);
  const empty = (mask: number[]) => !mask.some((m) => m);
  return {
    kind: "preference",
    pairs,
    truncated: pairs.filter((p) => p.truncated).length,
    emptyChosenMasks: pairs.filter((p) => empty(p.chosenMask)).length,
    emptyRejectedMasks: pairs.filter((p) => empty(p.rejectedMask)).length,
  };
}

export function exampleCount(data: TPreparedData): number {
  return data.kind === "sft" ? data.examples.length : data.pairs.length;
}

/** The micro-batch of the given example indices (from nextMicroBatch), in batch.ts's layout. */
export function collateMicroBatch(
  data: TPreparedData,
  indices: readonly number[],
  options: { padTokenId: number; sftLossOn: TTrainConfig["loss"]["sftLossOn"] },
): TBatchArrays {
  const pick = <T>(items: readonly T[]) =>
    indices.map((i) => {
      if (!Number.isInteger(i) || i < 0 || i >= items.length) throw new Error(`collateMicroBatch: example index ${i} out of range`);
      return items[i];
    });
  return data.kind === "sft"
    ? collateSftBatch(pick(data.examples), { padTokenId: options.padTokenId, lossOn: options.sftLossOn })
    : collatePreferenceBatch(pick(data.pairs), { padTokenId: options.padTokenId });
}
