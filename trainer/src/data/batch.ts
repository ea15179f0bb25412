// Padded micro-batches: the one place the batch layout is defined.
//
// Layout (every method):
// - A sequence is prompt ++ response. Shifted here, once: inputIds[t] = sequence[t] and labels[t] = sequence[t + 1],
//   so the logits at position t predict labels[t] (logprobs.ts). Rows have length len(sequence) - 1, right-padded
//   to the longest row of the micro-batch with `padTokenId`; attentionMask is 1 on real input positions, 0 on padding.
// - Every mask ([rows, T], float32 0/1) is aligned with `labels`: responseMask[t] = 1 when labels[t] is a response token,
//   securityMask[t] = the response token's m+ / m- value.
// - Preference batches of P pairs have 2P rows: rows 0..P-1 are the chosen responses (y+, masks m+), rows P..2P-1 the
//   rejected ones (y-, masks m-) of the same pairs in the same order: [chosen; rejected] along the batch dimension,
//   as TRL concatenates them. splitPreferenceRows() undoes it.
// - SFT batches carry lossMask: the response positions (config.loss.sftLossOn "response") or every real label ("full").
import * as tf from "@tensorflow/tfjs";
import type { TTokenizedPair, TTokenizedSft } from "./types";

/** Plain arrays of a micro-batch (row-major [rows, length]); tensors are made from these by batchToTensors. */
export type TBatchArrays = {
  kind: "sft" | "preference";
  rows: number;
  length: number;
  /** Number of pairs (preference) or examples (sft). */
  examples: number;
  inputIds: Int32Array;
  attentionMask: Float32Array;
  labels: Int32Array;
  responseMask: Float32Array;
  /** SFT: the positions the NLL counts. Preference: equal to responseMask. */
  lossMask: Float32Array;
  /** Preference only: m+ on chosen rows, m- on rejected rows. SFT: zeros. */
  securityMask: Float32Array;
  /** Real (unpadded) label tokens per row, for throughput. */
  tokens: number;
};

export type TBatch = {
  kind: "sft" | "preference";
  examples: number;
  inputIds: tf.Tensor2D; // int32
  attentionMask: tf.Tensor2D; // float32
  labels: tf.Tensor2D; // int32
  responseMask: tf.Tensor2D;
  lossMask: tf.Tensor2D;
  securityMask: tf.Tensor2D;
  tokens: number;
};

type TRow = { prompt: readonly number[]; response: readonly number[]; security: readonly number[] | null; lossOnPrompt: boolean };

function collateRows(kind: TBatchArrays["kind"], rows: TRow[], examples: number, padTokenId: number): TBatchArrays {
  if (rows.length === 0) throw new Error("collate: a micro-batch needs at least one example");
  const lengths = rows.map((r) => r.prompt.length + r.response.length - 1);
  if (lengths.some((l) => l < 1)) throw new Error("collate: every example needs at least two tokens (prompt + response)");
  const length = Math.max(...lengths);
  const size = rows.length * length;
  const out: TBatchArrays = {
    kind,
    rows: rows.length,
    length,
    examples,
    inputIds: new Int32Array(size).fill(padTokenId),
    attentionMask: new Float32Array(size),
    labels: new Int32Array(size).fill(padTokenId),
    responseMask: new Float32Array(size),
    lossMask: new Float32Array(size),
    securityMask: new Float32Array(size),
    tokens: 0,
  };
  rows.forEach((row, r) => {
    const sequence = [...row.prompt, ...row.response];
    const base = r * length;
    for (let t = 0; t < sequence.length - 1; t++) {
      out.inputIds[base + t] = sequence[t];
      out.attentionMask[base + t] = 1;
      out.labels[base + t] = sequence[t + 1];
      const responseIndex = t + 1 - row.prompt.length; // position of labels[t] inside the response
      const inResponse = responseIndex >= 0;
      out.responseMask[base + t] = inResponse ? 1 : 0;
      out.lossMask[base + t] = inResponse || row.lossOnPrompt ? 1 : 0;
      if (inResponse && row.security) out.securityMask[base + t] = row.security[responseIndex] ? 1 : 0;
      out.tokens++;
    }
  });
  return out;
}

/** [chosen; rejected] rows for P pairs (see the layout above). */
export function collatePreferenceBatch(pairs: readonly TTokenizedPair[], options: { padTokenId: number }): TBatchArrays {
  const chosen = pairs.map((p): TRow => ({ prompt: p.promptIds, response: p.chosenIds, security: p.chosenMask, lossOnPrompt: false }));
  const rejected = pairs.map((p): TRow => ({ prompt: p.promptIds, response: p.rejectedIds, security: p.rejectedMask, lossOnPrompt: false }));
  return collateRows("preference", [...chosen, ...rejected], pairs.length, options.padTokenId);
}

/** SFT rows; `lossOn` "full" counts the prompt tokens too (the reference code's whole-text loss). */
export function collateSftBatch(
  examples: readonly TTokenizedSft[],
  options: { padTokenId: number; lossOn: "response" | "full" },
): TBatchArrays {
  const rows = examples.map((e): TRow => ({ prompt: e.promptIds, response: e.responseIds, security: null, lossOnPrompt: options.lossOn === "full" }));
  return collateRows("sft", rows, examples.length, options.padTokenId);
}

export function batchToTensors(arrays: TBatchArrays): TBatch {
  const shape: [number, number] = [arrays.rows, arrays.length];
  return {
    kind: arrays.kind,
    examples: arrays.examples,
    inputIds: tf.tensor2d(arrays.inputIds, shape, "int32"),
    attentionMask: tf.tensor2d(arrays.attentionMask, shape, "float32"),
    labels: tf.tensor2d(arrays.labels, shape, "int32"),
    responseMask: tf.tensor2d(arrays.responseMask, shape, "float32"),
    lossMask: tf.tensor2d(arrays.lossMask, shape, "float32"),
    securityMask: tf.tensor2d(arrays.securityMask, shape, "float32"),
    tokens: arrays.tokens,
  };
}

export function disposeBatch(batch: TBatch): void {
  tf.dispose([batch.inputIds, batch.attentionMask, batch.labels, batch.responseMask, batch.lossMask, batch.securityMask]);
}

/** Splits a [2P, ...] tensor of a preference batch into its chosen (first P rows) and rejected (last P rows) halves. */
export function splitPreferenceRows<T extends tf.Tensor>(x: T): { chosen: T; rejected: T } {
  const rows = x.shape[0];
  if (rows % 2 !== 0) throw new Error(`splitPreferenceRows: expected an even number of rows, got ${rows}`);
  const [chosen, rejected] = tf.split(x, 2, 0) as T[];
  return { chosen, rejected };
}
