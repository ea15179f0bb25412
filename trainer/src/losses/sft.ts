// SFT (paper 5.1): negative log-likelihood of the response R + y+ given x, a mean over the loss tokens of the
// whole micro-batch (as Hugging Face's causal-LM loss does). Which tokens count is the collator's choice
// (config.loss.sftLossOn: the response only, or the whole formatted text like the reference code).
import * as tf from "@tensorflow/tfjs";
import { assertSameShape } from "../logprobs";
import { weightedMean, type TLossResult } from "./common";

export type TSftInputs = {
  /** Per-token log-probs of the labels [B, T]. */
  tokenLogps: tf.Tensor2D;
  /** 1 where the label counts [B, T]. An all-zero mask gives loss 0 (no division by zero). */
  lossMask: tf.Tensor2D;
};

export function sftLoss(inputs: TSftInputs): TLossResult {
  assertSameShape(inputs.tokenLogps, inputs.lossMask, "sftLoss");
  return tf.tidy(() => {
    const loss = tf.neg(weightedMean(inputs.tokenLogps, inputs.lossMask)) as tf.Scalar;
    return { loss, stats: { nll_loss: tf.clone(loss) } };
  });
}
