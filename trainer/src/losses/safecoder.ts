// SafeCoder (baseline): every row of the micro-batch is one sample with its own loss, and the loss is the mean over
// the samples that take part:
//   secure sample y+ (chosen row):    masked NLL          -mean_{m+} logp(y+)
//   insecure sample y- (rejected row): masked unlikelihood -mean_{m-} log(clamp(1 - p, 1e-5)),  p = exp(logp(y-))
//   utility sample (optional rows):   plain NLL           -mean_{response} logp
// (SafeCoder's own code trains one sample at a time and accumulates, which this per-sample mean reproduces.)
//
// Empty masks (config.loss.emptyMask), per side: "whole-response" replaces an empty m+ (m-) by the response of y+ (y-);
// "skip" leaves that sample out of the mean (numerator and count), and `skipped_pairs` counts pairs with any side
// skipped. With no sample left the loss is 0.
//
// Statistics: nll_loss = mean masked NLL of the secure samples taken, logps/chosen and logps/rejected = mean masked
// log-probs of the samples taken, mask_fraction/*. TRL has no SafeCoder trainer, so no rewards are reported.
import * as tf from "@tensorflow/tfjs";
import { assertSameShape, maskedMeanPerRow } from "../logprobs";
import {
  applyEmptyMaskRule,
  assertPreferenceShapes,
  requireSecurityMasks,
  weightedMean,
  WEIGHT_EPS,
  type TEmptyMaskRule,
  type TLossResult,
  type TPreferenceInputs,
} from "./common";

/** Lower clamp of 1 - p inside the unlikelihood term (SafeCoder's value). */
export const UNLIKELIHOOD_CLAMP = 1e-5;

export type TSafeCoderInputs = TPreferenceInputs & {
  /** Optional utility samples: log-probs and response masks [U, T]. */
  utilityLogps?: tf.Tensor2D;
  utilityResponseMask?: tf.Tensor2D;
};

export type TSafeCoderSettings = { emptyMask: TEmptyMaskRule };

/** -log(clamp(1 - exp(logp), 1e-5)) per token. */
export function unlikelihood(tokenLogps: tf.Tensor): tf.Tensor {
  return tf.neg(tf.log(tf.clipByValue(tf.sub(1, tf.exp(tokenLogps)), UNLIKELIHOOD_CLAMP, 1)));
}

export function safecoderLoss(inputs: TSafeCoderInputs, settings: TSafeCoderSettings): TLossResult {
  assertPreferenceShapes(inputs, "safecoderLoss");
  const masks = requireSecurityMasks(inputs, "safecoderLoss");
  if ((inputs.utilityLogps === undefined) !== (inputs.utilityResponseMask === undefined)) {
    throw new Error("safecoderLoss: utilityLogps and utilityResponseMask come together");
  }
  if (inputs.utilityLogps && inputs.utilityResponseMask) assertSameShape(inputs.utilityLogps, inputs.utilityResponseMask, "safecoderLoss utility");
  return tf.tidy(() => {
    const plus = applyEmptyMaskRule(masks.chosen, inputs.chosenResponseMask, settings.emptyMask);
    const minus = applyEmptyMaskRule(masks.rejected, inputs.rejectedResponseMask, settings.emptyMask);
    const securePerSample = tf.neg(maskedMeanPerRow(inputs.chosenLogps, plus.mask));
    const insecurePerSample = maskedMeanPerRow(unlikelihood(inputs.rejectedLogps) as tf.Tensor2D, minus.mask);

    let total = tf.add(tf.sum(tf.mul(securePerSample, plus.include)), tf.sum(tf.mul(insecurePerSample, minus.include)));
    let count = tf.add(tf.sum(plus.include), tf.sum(minus.include));
    if (inputs.utilityLogps && inputs.utilityResponseMask) {
      const utilityPerSample = tf.neg(maskedMeanPerRow(inputs.utilityLogps, inputs.utilityResponseMask));
      total = tf.add(total, tf.sum(utilityPerSample));
      count = tf.add(count, inputs.utilityLogps.shape[0]);
    }
    const loss = tf.div(total, tf.maximum(count, WEIGHT_EPS)) as tf.Scalar;
    const respC = inputs.chosenResponseMask;
    const respR = inputs.rejectedResponseMask;
    const skipped = tf.sum(tf.sub(1, tf.mul(plus.include, minus.include)));
    return {
      loss,
      stats: {
        nll_loss: weightedMean(securePerSample, plus.include),
        "logps/chosen": weightedMean(tf.neg(securePerSample), plus.include),
        "logps/rejected": weightedMean(maskedMeanPerRow(inputs.rejectedLogps, minus.mask), minus.include),
        "mask_fraction/chosen": tf.div(tf.sum(tf.mul(masks.chosen, respC)), tf.maximum(tf.sum(respC), WEIGHT_EPS)) as tf.Scalar,
        "mask_fraction/rejected": tf.div(tf.sum(tf.mul(masks.rejected, respR)), tf.maximum(tf.sum(respR), WEIGHT_EPS)) as tf.Scalar,
        skipped_pairs: skipped as tf.Scalar,
      },
    };
  });
}
