// SimPO: -log sigmoid(beta/|y+| * sum logp(y+) - beta/|y-| * sum logp(y-) - gamma), lengths = response token counts,
// no reference model; averaged over the pairs. (The "LPO without localization" ablation is this loss.)
//
// Statistics follow TRL's CPOTrainer with loss_type "simpo": rewards/chosen = beta * mean response log-prob of y+,
// rewards/rejected likewise for y-, margins and accuracies from those; logps/* are the length-normalised log-probs;
// nll_loss is the token-mean NLL of the chosen responses.
import * as tf from "@tensorflow/tfjs";
import { maskedMeanPerRow } from "../logprobs";
import { assertPreferenceShapes, chosenNll, logSigmoid, rewardStats, type TLossResult, type TPreferenceInputs } from "./common";

export type TSimpoSettings = { beta: number; gamma: number };

export function simpoLoss(inputs: TPreferenceInputs, settings: TSimpoSettings): TLossResult {
  assertPreferenceShapes(inputs, "simpoLoss");
  return tf.tidy(() => {
    // An empty response (only after pathological truncation) averages to 0 instead of 0/0.
    const chosen = maskedMeanPerRow(inputs.chosenLogps, inputs.chosenResponseMask);
    const rejected = maskedMeanPerRow(inputs.rejectedLogps, inputs.rejectedResponseMask);
    const chosenRewards = tf.mul(settings.beta, chosen) as tf.Tensor1D;
    const rejectedRewards = tf.mul(settings.beta, rejected) as tf.Tensor1D;
    const margin = tf.sub(tf.sub(chosenRewards, rejectedRewards), settings.gamma);
    const loss = tf.mean(tf.neg(logSigmoid(margin))) as tf.Scalar;
    return {
      loss,
      stats: {
        ...rewardStats(chosenRewards, rejectedRewards, tf.onesLike(chosen) as tf.Tensor1D),
        "logps/chosen": tf.mean(chosen) as tf.Scalar,
        "logps/rejected": tf.mean(rejected) as tf.Scalar,
        nll_loss: chosenNll(inputs),
      },
    };
  });
}
