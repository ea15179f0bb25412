// DPO: -log sigmoid(beta * [(logp(y+) - logp_ref(y+)) - (logp(y-) - logp_ref(y-))]), log-probs summed over the
// response tokens, averaged over the pairs. The frozen reference model's sequence log-probs are inputs: the loop
// computes them once (no gradient) and passes them in.
//
// Statistics follow TRL's DPOTrainer: rewards/chosen = beta * (logp(y+) - logp_ref(y+)), rewards/rejected likewise,
// margins = their difference, accuracies = share of pairs with chosen reward > rejected reward; logps/* are the policy's
// summed response log-probs; nll_loss is the token-mean NLL of the chosen responses.
import * as tf from "@tensorflow/tfjs";
import { sequenceLogProbs } from "../logprobs";
import { assertPreferenceShapes, chosenNll, logSigmoid, rewardStats, type TLossResult, type TPreferenceInputs } from "./common";

export type TDpoInputs = TPreferenceInputs & {
  /** Reference model's summed response log-probs [P] of y+ and y-. */
  refChosenLogps: tf.Tensor1D;
  refRejectedLogps: tf.Tensor1D;
};

export type TDpoSettings = { beta: number };

export function dpoLoss(inputs: TDpoInputs, settings: TDpoSettings): TLossResult {
  assertPreferenceShapes(inputs, "dpoLoss");
  const pairs = inputs.chosenLogps.shape[0];
  for (const [name, t] of [["refChosenLogps", inputs.refChosenLogps], ["refRejectedLogps", inputs.refRejectedLogps]] as const) {
    if (t.shape.length !== 1 || t.shape[0] !== pairs) throw new Error(`dpoLoss: ${name} must be [${pairs}], got [${t.shape}]`);
  }
  return tf.tidy(() => {
    const chosen = sequenceLogProbs(inputs.chosenLogps, inputs.chosenResponseMask);
    const rejected = sequenceLogProbs(inputs.rejectedLogps, inputs.rejectedResponseMask);
    const chosenRewards = tf.mul(settings.beta, tf.sub(chosen, inputs.refChosenLogps)) as tf.Tensor1D;
    const rejectedRewards = tf.mul(settings.beta, tf.sub(rejected, inputs.refRejectedLogps)) as tf.Tensor1D;
    const loss = tf.mean(tf.neg(logSigmoid(tf.sub(chosenRewards, rejectedRewards)))) as tf.Scalar;
    const all = tf.onesLike(chosen) as tf.Tensor1D;
    return {
      loss,
      stats: {
        ...rewardStats(chosenRewards, rejectedRewards, all),
        "logps/chosen": tf.mean(chosen) as tf.Scalar,
        "logps/rejected": tf.mean(rejected) as tf.Scalar,
        nll_loss: chosenNll(inputs),
      },
    };
  });
}
