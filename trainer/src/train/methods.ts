// What the loop needs per method beyond the loss itself (which losses/index.ts's computeLoss dispatches): which
// examples the method trains on, how they collate into a micro-batch (data/batch.ts's layout, [chosen; rejected]
// rows for pairs), and whether it needs the frozen reference model (DPO).
import type { TTrainConfig, TTrainingMethod } from "../config";
import { batchToTensors, collatePreferenceBatch, collateSftBatch, type TBatch } from "../data/batch";
import type { TTokenizedPair, TTokenizedSft } from "../data/types";
import { sequenceLogProbs, tokenLogProbs } from "../logprobs";
import { computeLoss, preferenceInputs, type TLossResult } from "../losses/index";
import type { ICausalLM } from "../models/types";
import { tf } from "../tf";

export type TExample = TTokenizedSft | TTokenizedPair;

/** The frozen reference model's summed response log-probs of y+ and y- per pair (DPO), aligned with a micro-batch. */
export type TReferenceLogps = { chosen: number[]; rejected: number[] };

export function isSftExample(example: TExample): example is TTokenizedSft {
  return "responseIds" in example;
}

export function exampleKind(method: TTrainingMethod): "sft" | "preference" {
  return method === "sft" ? "sft" : "preference";
}

export function needsReference(method: TTrainingMethod): boolean {
  return method === "dpo";
}

/** Refuses examples of the wrong kind for the method, naming the first offender. */
export function assertExampleKind(method: TTrainingMethod, examples: readonly TExample[], where: string): void {
  const wantSft = exampleKind(method) === "sft";
  const wrong = examples.find((example) => isSftExample(example) !== wantSft);
  if (wrong) {
    throw new Error(`${where}: ${method} trains on ${wantSft ? "SFT examples" : "preference pairs"}, but example ${wrong.id} is ${wantSft ? "a pair" : "an SFT example"}`);
  }
}

export function collate(method: TTrainingMethod, examples: readonly TExample[], config: TTrainConfig, padTokenId: number): TBatch {
  const arrays =
    exampleKind(method) === "sft"
      ? collateSftBatch(examples as TTokenizedSft[], { padTokenId, lossOn: config.loss.sftLossOn })
      : collatePreferenceBatch(examples as TTokenizedPair[], { padTokenId });
  return batchToTensors(arrays);
}

/** Per-token log-probs of the batch's labels under the model: [rows, T]. */
export function batchTokenLogps(model: ICausalLM, batch: TBatch, context: { training: boolean; seed?: number }): tf.Tensor2D {
  return tf.tidy(() => {
    const logits = model.forward(batch.inputIds, { training: context.training, attentionMask: batch.attentionMask, seed: context.seed });
    return tokenLogProbs(logits, batch.labels);
  });
}

/** The micro-batch's loss and statistics under `config.method` (new tensors; the caller disposes them). */
export function microBatchLoss(
  model: ICausalLM,
  batch: TBatch,
  config: TTrainConfig,
  context: { training: boolean; seed?: number; reference?: TReferenceLogps },
): TLossResult {
  return tf.tidy(() => {
    const tokenLogps = batchTokenLogps(model, batch, context);
    const extras = context.reference
      ? { refChosenLogps: tf.tensor1d(context.reference.chosen), refRejectedLogps: tf.tensor1d(context.reference.rejected) }
      : {};
    return computeLoss(config, tokenLogps, batch, extras);
  });
}

/** Summed response log-probs of each pair's y+ and y- (no dropout): what DPO's reference term needs. */
export function pairSequenceLogps(model: ICausalLM, batch: TBatch): TReferenceLogps {
  const [chosen, rejected] = tf.tidy(() => {
    const inputs = preferenceInputs(batchTokenLogps(model, batch, { training: false }), batch);
    return [sequenceLogProbs(inputs.chosenLogps, inputs.chosenResponseMask), sequenceLogProbs(inputs.rejectedLogps, inputs.rejectedResponseMask)];
  });
  const out = { chosen: Array.from(chosen.dataSync()), rejected: Array.from(rejected.dataSync()) };
  tf.dispose([chosen, rejected]);
  return out;
}
