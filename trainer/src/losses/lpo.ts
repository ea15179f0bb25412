// LPO (paper 5.2), per pair, averaged over the micro-batch:
//   paper form (default):
//     Delta = beta/|m+| * sum_{m+} logp(y+) - beta/|m-| * sum_{m-} logp(y-)
//     loss  = -log sigmoid(Delta - gamma) + alpha * reg,   reg = -mean_{~m+} logp(y+)
//   where ~m+ = the response tokens of y+ outside m+.
//   reference form (the published code, config.loss.lpoForm = "reference"): masks are soft weights, masked tokens
//   weigh v (config.loss.maskWeight) and the other response tokens 1 - v; each side's log-prob is the weighted
//   average; the regularizer is added with weight 1 (alpha is not used). Our reading of the reference regularizer:
//   the same soft weighting with the roles swapped (tokens outside m+ weigh v, m+ tokens 1 - v), which for
//   v = 0.999999 is the paper's mean over ~m+.
//
// Empty masks (config.loss.emptyMask), decided per pair on the masks restricted to the response:
//   "whole-response": an empty m+ (or m-) is replaced by the response mask of y+ (or y-), so Delta compares whole
//     responses for that side; the pair is included. (For the reference form this is what the soft weights give anyway.)
//   "skip": a pair with an empty m+ or m- contributes no preference term; the preference term is the mean over the
//     other pairs, or 0 when every pair is skipped. `skipped_pairs` counts them.
//   The regularizer always uses the complement of the pair's real m+ (an empty m+ regularizes the whole y+); in the
//   paper form a pair whose ~m+ is empty (every y+ token masked) adds 0 (the soft weights of the reference form never
//   sum to 0). It is averaged over all pairs of the micro-batch, skipped or not.
//
// Statistics (TRL's reference-free convention, as CPO/SimPO): rewards/chosen = beta * (localized mean log-prob of y+),
// rewards/rejected = beta * (that of y-), margins = Delta, accuracies = share with chosen > rejected, logps/* the
// localized means; all over the included pairs. mask_fraction/* = share of response tokens in m+ / m- over the
// micro-batch; regularizer = the unweighted reg averaged over pairs; nll_loss = token-mean NLL of the chosen responses.
import * as tf from "@tensorflow/tfjs";
import { maskedMeanPerRow } from "../logprobs";
import {
  applyEmptyMaskRule,
  assertPreferenceShapes,
  chosenNll,
  logSigmoid,
  requireSecurityMasks,
  rewardStats,
  weightedMean,
  WEIGHT_EPS,
  type TEmptyMaskRule,
  type TLossResult,
  type TPreferenceInputs,
} from "./common";

export type TLpoSettings = {
  beta: number;
  gamma: number;
  /** Regularizer weight in the paper form; the reference form uses 1. */
  alpha: number;
  form: "paper" | "reference";
  /** Reference form: weight v of masked tokens (others 1 - v). */
  maskWeight: number;
  emptyMask: TEmptyMaskRule;
};

/** Soft weights v on the mask's tokens and 1 - v on the rest of the response. */
function softWeights(mask: tf.Tensor2D, responseMask: tf.Tensor2D, v: number): tf.Tensor2D {
  return tf.mul(responseMask, tf.add(tf.mul(v, mask), tf.mul(1 - v, tf.sub(1, mask)))) as tf.Tensor2D;
}

export function lpoLoss(inputs: TPreferenceInputs, settings: TLpoSettings): TLossResult {
  assertPreferenceShapes(inputs, "lpoLoss");
  const masks = requireSecurityMasks(inputs, "lpoLoss");
  if (settings.form === "reference" && !(settings.maskWeight > 0 && settings.maskWeight < 1)) {
    throw new Error(`lpoLoss: maskWeight must lie in (0, 1), got ${settings.maskWeight}`);
  }
  return tf.tidy(() => {
    const respC = inputs.chosenResponseMask;
    const respR = inputs.rejectedResponseMask;
    const plus = applyEmptyMaskRule(masks.chosen, respC, settings.emptyMask);
    const minus = applyEmptyMaskRule(masks.rejected, respR, settings.emptyMask);
    const include = tf.mul(plus.include, minus.include) as tf.Tensor1D;
    const mPlus = tf.mul(masks.chosen, respC) as tf.Tensor2D; // the real m+, for the regularizer and statistics
    const complement = tf.mul(respC, tf.sub(1, mPlus)) as tf.Tensor2D;

    let chosen: tf.Tensor1D;
    let rejected: tf.Tensor1D;
    let reg: tf.Tensor1D;
    let regWeight: number;
    if (settings.form === "paper") {
      chosen = maskedMeanPerRow(inputs.chosenLogps, plus.mask);
      rejected = maskedMeanPerRow(inputs.rejectedLogps, minus.mask);
      reg = tf.neg(maskedMeanPerRow(inputs.chosenLogps, complement)) as tf.Tensor1D;
      regWeight = settings.alpha;
    } else {
      const v = settings.maskWeight;
      chosen = maskedMeanPerRow(inputs.chosenLogps, softWeights(plus.mask, respC, v));
      rejected = maskedMeanPerRow(inputs.rejectedLogps, softWeights(minus.mask, respR, v));
      reg = tf.neg(maskedMeanPerRow(inputs.chosenLogps, softWeights(complement, respC, v))) as tf.Tensor1D;
      regWeight = 1;
    }
    const chosenRewards = tf.mul(settings.beta, chosen) as tf.Tensor1D;
    const rejectedRewards = tf.mul(settings.beta, rejected) as tf.Tensor1D;
    const preference = tf.neg(logSigmoid(tf.sub(tf.sub(chosenRewards, rejectedRewards), settings.gamma)));
    const preferenceMean = weightedMean(preference, include);
    const regularizer = tf.mean(reg) as tf.Scalar;
    const loss = tf.add(preferenceMean, tf.mul(regWeight, regularizer)) as tf.Scalar;
    const pairs = include.shape[0];
    return {
      loss,
      stats: {
        ...rewardStats(chosenRewards, rejectedRewards, include),
        "logps/chosen": weightedMean(chosen, include),
        "logps/rejected": weightedMean(rejected, include),
        nll_loss: chosenNll(inputs),
        "mask_fraction/chosen": tf.div(tf.sum(mPlus), tf.maximum(tf.sum(respC), WEIGHT_EPS)) as tf.Scalar,
        "mask_fraction/rejected": tf.div(tf.sum(tf.mul(masks.rejected, respR)), tf.maximum(tf.sum(respR), WEIGHT_EPS)) as tf.Scalar,
        regularizer: tf.clone(regularizer),
        skipped_pairs: tf.sub(pairs, tf.sum(include)) as tf.Scalar,
      },
    };
  });
}
