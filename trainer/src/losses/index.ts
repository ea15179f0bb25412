// The loss registry: one small pure function per method (sft.ts, dpo.ts, simpo.ts, lpo.ts, safecoder.ts) and one
// dispatcher that feeds a collated batch (data/batch.ts layout) to the method the run's config names.
import * as tf from "@tensorflow/tfjs";
import type { TTrainConfig } from "../config";
import { splitPreferenceRows, type TBatch } from "../data/batch";
import { sequenceLogProbs } from "../logprobs";
import { dpoLoss } from "./dpo";
import { lpoLoss } from "./lpo";
import { safecoderLoss } from "./safecoder";
import { sftLoss } from "./sft";
import { simpoLoss } from "./simpo";
import type { TLossResult, TPreferenceInputs } from "./common";

export * from "./common";
export { dpoLoss, lpoLoss, safecoderLoss, sftLoss, simpoLoss };
export { unlikelihood, UNLIKELIHOOD_CLAMP } from "./safecoder";

export type TLossExtras = {
  /** DPO: the frozen reference model's summed response log-probs of the batch's pairs, [P] each. */
  refChosenLogps?: tf.Tensor1D;
  refRejectedLogps?: tf.Tensor1D;
};

/** Splits a preference batch's per-token log-probs [2P, T] and masks into the inputs every preference loss reads. */
export function preferenceInputs(tokenLogps: tf.Tensor2D, batch: TBatch): TPreferenceInputs {
  const logps = splitPreferenceRows(tokenLogps);
  const response = splitPreferenceRows(batch.responseMask);
  const security = splitPreferenceRows(batch.securityMask);
  return {
    chosenLogps: logps.chosen,
    rejectedLogps: logps.rejected,
    chosenResponseMask: response.chosen,
    rejectedResponseMask: response.rejected,
    chosenSecurityMask: security.chosen,
    rejectedSecurityMask: security.rejected,
  };
}

/**
 * Summed response log-probs [P] of a preference batch's chosen and rejected rows: what DPO's frozen reference model
 * contributes (run it once per batch without gradients, keep these, dispose the logits).
 */
export function preferenceSequenceLogps(tokenLogps: tf.Tensor2D, batch: TBatch): { chosen: tf.Tensor1D; rejected: tf.Tensor1D } {
  if (batch.kind !== "preference") throw new Error("preferenceSequenceLogps needs a preference batch");
  return tf.tidy(() => {
    const sums = sequenceLogProbs(tokenLogps, batch.responseMask);
    const { chosen, rejected } = splitPreferenceRows(sums);
    return { chosen, rejected };
  });
}

/**
 * The configured method's loss for one micro-batch, from its per-token log-probs [rows, T] (tokenLogProbs of the
 * policy's logits and batch.labels). SFT reads batch.lossMask; the preference methods read the [chosen; rejected] halves.
 */
export function computeLoss(
  config: Pick<TTrainConfig, "method" | "loss">,
  tokenLogps: tf.Tensor2D,
  batch: TBatch,
  extras: TLossExtras = {},
): TLossResult {
  const { method, loss: settings } = config;
  if (method === "sft") {
    if (batch.kind !== "sft") throw new Error("computeLoss: SFT needs an SFT batch");
    return sftLoss({ tokenLogps, lossMask: batch.lossMask });
  }
  if (batch.kind !== "preference") throw new Error(`computeLoss: ${method} needs a preference batch`);
  return tf.tidy(() => {
    const inputs = preferenceInputs(tokenLogps, batch);
    switch (method) {
      case "dpo":
        if (!extras.refChosenLogps || !extras.refRejectedLogps) throw new Error("computeLoss: DPO needs the reference log-probs");
        return dpoLoss({ ...inputs, refChosenLogps: extras.refChosenLogps, refRejectedLogps: extras.refRejectedLogps }, { beta: settings.beta });
      case "simpo":
        return simpoLoss(inputs, { beta: settings.beta, gamma: settings.gamma });
      case "lpo":
        return lpoLoss(inputs, {
          beta: settings.beta,
          gamma: settings.gamma,
          alpha: settings.alpha,
          form: settings.lpoForm,
          maskWeight: settings.maskWeight,
          emptyMask: settings.emptyMask,
        });
      case "safecoder":
        return safecoderLoss(inputs, { emptyMask: settings.emptyMask });
    }
  });
}
