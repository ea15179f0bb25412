// Shared pieces of the loss functions: the inputs a preference loss reads, the result every loss returns, the
// TRL-named statistics, and the small numerically safe helpers (log-sigmoid, guarded means, the empty-mask rule).
//
// Every loss is a pure function of per-token log-probs (logprobs.ts) and float masks [rows, T] aligned with the
// batch's labels (data/batch.ts documents the layout). Losses are averaged over the pairs (or samples) of the
// micro-batch; the training loop averages micro-batches for gradient accumulation.
//
// Tensor lifetimes: a loss returns new tensors (loss and stats) and leaks nothing else. Inside tf.variableGrads the
// stats are disposed with the tape's tidy unless the caller keeps them: call keepStats(result.stats) in the closure,
// then readStats() after (it reads and disposes them).
import * as tf from "@tensorflow/tfjs";
import type { TMetricName } from "../metrics";

/** TRL-named statistics a loss may report, plus the count of pairs left out by the "skip" empty-mask rule. */
export type TLossStatName = Extract<
  TMetricName,
  | "rewards/chosen"
  | "rewards/rejected"
  | "rewards/margins"
  | "rewards/accuracies"
  | "logps/chosen"
  | "logps/rejected"
  | "nll_loss"
  | "mask_fraction/chosen"
  | "mask_fraction/rejected"
  | "regularizer"
> | "skipped_pairs";

export type TLossStats = Partial<Record<TLossStatName, tf.Scalar>>;
export type TLossResult = { loss: tf.Scalar; stats: TLossStats };

/**
 * A preference micro-batch of P pairs, already split into its chosen (y+) and rejected (y-) halves.
 * All tensors [P, T] float32 and aligned with the labels; masks are 0 on prompt and padding positions.
 */
export type TPreferenceInputs = {
  /** Policy log-probs of the chosen / rejected label tokens. */
  chosenLogps: tf.Tensor2D;
  rejectedLogps: tf.Tensor2D;
  /** 1 where the label is a response token (padding and prompt 0). */
  chosenResponseMask: tf.Tensor2D;
  rejectedResponseMask: tf.Tensor2D;
  /** m+ over y+ and m- over y- (1 = security-relevant token). Only LPO and SafeCoder read them. */
  chosenSecurityMask?: tf.Tensor2D;
  rejectedSecurityMask?: tf.Tensor2D;
};

/** How a pair with an empty m+ or m- enters LPO and SafeCoder (config.loss.emptyMask). */
export type TEmptyMaskRule = "whole-response" | "skip";

/** Guard for divisions by a mask's total weight: a zero total gives 0 / tiny = 0, never NaN. */
export const WEIGHT_EPS = 1e-12;

/** log(sigmoid(z)) as -softplus(-z): stable for large |z|, and its gradient works on every backend (environment.md). */
export function logSigmoid(z: tf.Tensor): tf.Tensor {
  return tf.neg(tf.softplus(tf.neg(z)));
}

/** sum(values * weights) / sum(weights) over everything; 0 when the weights sum to 0. */
export function weightedMean(values: tf.Tensor, weights: tf.Tensor): tf.Scalar {
  return tf.div(tf.sum(tf.mul(values, weights)), tf.maximum(tf.sum(weights), WEIGHT_EPS)) as tf.Scalar;
}

/**
 * The empty-mask rule, applied to one side (m+ of y+ or m- of y-), per pair:
 * - "whole-response": a pair whose mask has no token inside its response uses the response mask instead, and is included;
 * - "skip": the mask is kept and the pair is flagged as not included (the caller leaves its term out of the average).
 * Returns the effective mask [P, T] (restricted to the response), the per-pair "was empty" flags and inclusion weights [P].
 */
export function applyEmptyMaskRule(
  securityMask: tf.Tensor2D,
  responseMask: tf.Tensor2D,
  rule: TEmptyMaskRule,
): { mask: tf.Tensor2D; empty: tf.Tensor1D; include: tf.Tensor1D } {
  const inResponse = tf.mul(securityMask, responseMask) as tf.Tensor2D;
  const empty = tf.cast(tf.lessEqual(tf.sum(inResponse, -1), 0), "float32") as tf.Tensor1D;
  if (rule === "whole-response") {
    const mask = tf.add(inResponse, tf.mul(tf.expandDims(empty, 1), responseMask)) as tf.Tensor2D;
    return { mask, empty, include: tf.onesLike(empty) as tf.Tensor1D };
  }
  return { mask: inResponse, empty, include: tf.sub(1, empty) as tf.Tensor1D };
}

/**
 * TRL's reward statistics from per-pair rewards [P], averaged over the included pairs (weights [P], 1 = included):
 * rewards/chosen, rewards/rejected, rewards/margins = chosen - rejected, rewards/accuracies = share with chosen > rejected.
 */
export function rewardStats(chosenRewards: tf.Tensor1D, rejectedRewards: tf.Tensor1D, include: tf.Tensor1D): TLossStats {
  return {
    "rewards/chosen": weightedMean(chosenRewards, include),
    "rewards/rejected": weightedMean(rejectedRewards, include),
    "rewards/margins": weightedMean(tf.sub(chosenRewards, rejectedRewards), include),
    "rewards/accuracies": weightedMean(tf.cast(tf.greater(chosenRewards, rejectedRewards), "float32"), include),
  };
}

/** Token-mean negative log-likelihood of the chosen responses (TRL's nll_loss for reference-free methods). */
export function chosenNll(inputs: TPreferenceInputs): tf.Scalar {
  return tf.neg(weightedMean(inputs.chosenLogps, inputs.chosenResponseMask)) as tf.Scalar;
}

export function requireSecurityMasks(inputs: TPreferenceInputs, where: string): { chosen: tf.Tensor2D; rejected: tf.Tensor2D } {
  if (!inputs.chosenSecurityMask || !inputs.rejectedSecurityMask) {
    throw new Error(`${where} needs the security masks m+ and m- (chosenSecurityMask, rejectedSecurityMask)`);
  }
  return { chosen: inputs.chosenSecurityMask, rejected: inputs.rejectedSecurityMask };
}

export function assertPreferenceShapes(inputs: TPreferenceInputs, where: string): void {
  const shape = inputs.chosenLogps.shape;
  const all: [string, tf.Tensor | undefined][] = [
    ["rejectedLogps", inputs.rejectedLogps],
    ["chosenResponseMask", inputs.chosenResponseMask],
    ["rejectedResponseMask", inputs.rejectedResponseMask],
    ["chosenSecurityMask", inputs.chosenSecurityMask],
    ["rejectedSecurityMask", inputs.rejectedSecurityMask],
  ];
  if (shape.length !== 2) throw new Error(`${where}: chosenLogps must be [P, T], got [${shape}]`);
  for (const [name, t] of all) {
    if (t && (t.shape.length !== 2 || t.shape[0] !== shape[0] || t.shape[1] !== shape[1])) {
      throw new Error(`${where}: ${name} has shape [${t.shape}], expected [${shape}]`);
    }
  }
}

/** Keeps a result's stats alive past an enclosing tidy (e.g. inside tf.variableGrads). */
export function keepStats(stats: TLossStats): TLossStats {
  for (const value of Object.values(stats)) if (value) tf.keep(value);
  return stats;
}

/** Reads the stats as numbers (one sync) and disposes the tensors. */
export function readStats(stats: TLossStats): Partial<Record<TLossStatName, number>> {
  const out: Partial<Record<TLossStatName, number>> = {};
  for (const [name, value] of Object.entries(stats) as [TLossStatName, tf.Scalar | undefined][]) {
    if (!value) continue;
    out[name] = value.dataSync()[0];
    value.dispose();
  }
  return out;
}

/** Disposes a loss result (loss and stats). */
export function disposeLossResult(result: TLossResult): void {
  result.loss.dispose();
  for (const value of Object.values(result.stats)) value?.dispose();
}
