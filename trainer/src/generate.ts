// Sampling from a causal LM with the KV cache: the prompt is run once, then one token per step, so the cost grows
// linearly with length. All n samples of a prompt decode together as one batch. Sampling is done in plain JS with
// a seeded generator (temperature, then top-k, then top-p, as transformers orders its warpers), so a seed gives
// the same tokens on every backend; temperature 0 is greedy (ties to the lowest id).
import { z } from "zod";
import type { ICausalLM } from "./models/types";
import { createRng } from "./nn/random";
import { tf } from "./tf";

export const ZGenerateOptions = z.object({
  maxNewTokens: z.number().int().positive(),
  temperature: z.number().min(0).default(1),
  topP: z.number().gt(0).max(1).default(1),
  topK: z.number().int().min(0).default(0), // 0 = no top-k filter
  seed: z.number().int().default(0),
  stopTokenIds: z.array(z.number().int().nonnegative()).default([]),
  n: z.number().int().positive().default(1),
});
export type TGenerateOptions = z.input<typeof ZGenerateOptions>;

export type TGeneratedSample = {
  /** New tokens only (no prompt); the stop token that ended the sample is not included. */
  tokenIds: number[];
  /** "stop": a stop token; "stop-sequence": the caller's `until` rule; "length": the token budget ran out. */
  finishReason: "stop" | "stop-sequence" | "length";
};

/** Index of the sampled token for one row of logits. */
export function sampleToken(logits: ArrayLike<number>, options: { temperature: number; topK: number; topP: number }, random: () => number): number {
  const vocab = logits.length;
  if (options.temperature === 0) {
    let best = 0;
    for (let i = 1; i < vocab; i++) if (logits[i] > logits[best]) best = i;
    return best;
  }
  // candidates sorted by logit (descending, ties by id), then cut by top-k and top-p
  let order = Array.from({ length: vocab }, (_, i) => i).sort((a, b) => logits[b] - logits[a] || a - b);
  if (options.topK > 0 && options.topK < vocab) order = order.slice(0, options.topK);
  const max = logits[order[0]];
  const weights = order.map((i) => Math.exp((logits[i] - max) / options.temperature));
  let total = weights.reduce((s, w) => s + w, 0);
  if (options.topP < 1) {
    // keep the smallest prefix whose probability reaches topP (at least one token)
    let kept = 0;
    let cumulative = 0;
    while (kept < weights.length && (kept === 0 || cumulative / total < options.topP)) cumulative += weights[kept++];
    order = order.slice(0, kept);
    weights.length = kept;
    total = cumulative;
  }
  let r = random() * total;
  for (let k = 0; k < order.length; k++) {
    r -= weights[k];
    if (r < 0) return order[k];
  }
  return order[order.length - 1];
}

/**
 * n samples continuing `promptIds`, with their finish reasons. `until`, when given, is asked after each new token
 * whether a sample is complete (e.g. its decoded text reached a stop sequence that the tokenizer may split).
 */
export function generateSamples(
  model: ICausalLM,
  promptIds: readonly number[],
  options: TGenerateOptions,
  until?: (tokenIds: readonly number[]) => boolean,
): TGeneratedSample[] {
  const opts = ZGenerateOptions.parse(options);
  if (promptIds.length === 0) throw new Error("generate: the prompt needs at least one token");
  for (const id of promptIds) {
    if (!Number.isInteger(id) || id < 0 || id >= model.vocabSize) throw new Error(`generate: token id ${id} is outside the vocabulary (0..${model.vocabSize - 1})`);
  }
  const budget = Math.min(opts.maxNewTokens, model.maxPositions - promptIds.length);
  if (budget <= 0) throw new Error(`generate: the prompt (${promptIds.length} tokens) already fills the model's ${model.maxPositions} positions`);
  const random = createRng(opts.seed);
  const stop = new Set(opts.stopTokenIds);
  const samples: TGeneratedSample[] = Array.from({ length: opts.n }, () => ({ tokenIds: [], finishReason: "length" }));
  const done = new Array<boolean>(opts.n).fill(false);
  const cache = model.createCache();
  try {
    let input: number[][] = Array.from({ length: opts.n }, () => [...promptIds]);
    for (let step = 0; step < budget; step++) {
      const last = tf.tidy(() => {
        const logits = model.forward(tf.tensor2d(input, [opts.n, input[0].length], "int32"), { training: false, cache });
        return tf.slice(logits, [0, input[0].length - 1, 0], [-1, 1, -1]).reshape([opts.n, model.vocabSize]);
      });
      const rows = last.dataSync();
      last.dispose();
      const next: number[][] = [];
      for (let s = 0; s < opts.n; s++) {
        // every row draws, finished or not, so a sample's tokens do not depend on when the others stop
        const token = sampleToken(rows.subarray(s * model.vocabSize, (s + 1) * model.vocabSize), opts, random);
        next.push([token]);
        if (done[s]) continue;
        if (stop.has(token)) {
          done[s] = true;
          samples[s].finishReason = "stop";
        } else {
          samples[s].tokenIds.push(token);
          if (until?.(samples[s].tokenIds)) {
            done[s] = true;
            samples[s].finishReason = "stop-sequence";
          }
        }
      }
      if (done.every(Boolean)) break;
      input = next;
    }
  } finally {
    model.disposeCache(cache);
  }
  return samples;
}

/** Token ids of n samples (new tokens only, stop token excluded). */
export function generate(model: ICausalLM, promptIds: readonly number[], options: TGenerateOptions): number[][] {
  return generateSamples(model, promptIds, options).map((s) => s.tokenIds);
}
