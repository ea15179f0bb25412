// Sampling n continuations of one prompt with text stop sequences. The trainer's generateSamples stops on token ids
// only; benchmark answers end at text boundaries (a closing ``` fence, the end of a function) that a BPE tokenizer
// may split across tokens, so this loop decodes each sample as it grows and ends it when the text reaches a stop
// sequence. It follows generateSamples step for step (same seeded generator, every row draws every step), so with no
// stop sequences the tokens are identical to the trainer's (tested). Decoding stops once every sample has ended,
// which is where the time goes for real models: most answers end long before max_new_tokens.
// This module loads TensorFlow.js: import it only from workers and scripts, never from pages or API routes.
import { sampleToken, ZGenerateOptions, type TGenerateOptions } from "../../../trainer/src/generate";
import type { ICausalLM } from "../../../trainer/src/models/types";
import { createRng } from "../../../trainer/src/nn/random";
import { tf } from "../../../trainer/src/tf";

/** Where a sample's text ends: the index just after the stop (kept) or before it (dropped); null when it has not. */
export type TStopRule = (text: string) => number | null;

export type TSampledText = {
  text: string;
  tokenCount: number;
  finishReason: "stop" | "stop-sequence" | "length";
};

/**
 * n samples continuing `promptIds`. `decode` turns a sample's new token ids into text; `stopAt` says where the text
 * ends once it contains a stop sequence (the sample's text is cut there and the sample is done).
 */
export function sampleWithStops(
  model: ICausalLM,
  promptIds: readonly number[],
  options: TGenerateOptions,
  decode: (ids: readonly number[]) => string,
  stopAt: TStopRule | null,
): TSampledText[] {
  const opts = ZGenerateOptions.parse(options);
  if (promptIds.length === 0) throw new Error("generate: the prompt needs at least one token");
  for (const id of promptIds) {
    if (!Number.isInteger(id) || id < 0 || id >= model.vocabSize) throw new Error(`generate: token id ${id} is outside the vocabulary (0..${model.vocabSize - 1})`);
  }
  const budget = Math.min(opts.maxNewTokens, model.maxPositions - promptIds.length);
  if (budget <= 0) throw new Error(`generate: the prompt (${promptIds.length} tokens) already fills the model's ${model.maxPositions} positions`);
  const random = createRng(opts.seed);
  const stopIds = new Set(opts.stopTokenIds);
  const tokens: number[][] = Array.from({ length: opts.n }, () => []);
  const results: (TSampledText | null)[] = new Array(opts.n).fill(null);
  const cache = model.createCache();
  try {
    let input: number[][] = Array.from({ length: opts.n }, () => [...promptIds]);
    for (let step = 0; step < budget; step++) {
      const last = tf.tidy(() => {
        const logits = model.forward(tf.tensor2d(input, [opts.n, input[0]!.length], "int32"), { training: false, cache });
        return tf.slice(logits, [0, input[0]!.length - 1, 0], [-1, 1, -1]).reshape([opts.n, model.vocabSize]);
      });
      const rows = last.dataSync();
      last.dispose();
      const next: number[][] = [];
      for (let s = 0; s < opts.n; s++) {
        const token = sampleToken(rows.subarray(s * model.vocabSize, (s + 1) * model.vocabSize), opts, random);
        next.push([token]);
        if (results[s]) continue;
        if (stopIds.has(token)) {
          results[s] = { text: decode(tokens[s]!), tokenCount: tokens[s]!.length, finishReason: "stop" };
          continue;
        }
        tokens[s]!.push(token);
        if (stopAt) {
          const text = decode(tokens[s]!);
          const end = stopAt(text);
          if (end !== null) results[s] = { text: text.slice(0, end), tokenCount: tokens[s]!.length, finishReason: "stop-sequence" };
        }
      }
      if (results.every(Boolean)) break;
      input = next;
    }
  } finally {
    model.disposeCache(cache);
  }
  return results.map((result, s) => result ?? { text: decode(tokens[s]!), tokenCount: tokens[s]!.length, finishReason: "length" });
}
