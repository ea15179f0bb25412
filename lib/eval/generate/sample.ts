// Sampling n continuations of one prompt with text stop sequences. Benchmark answers end at text boundaries (a
// closing ``` fence, the end of a function) that a BPE tokenizer may split across tokens, so each sample is decoded as
// it grows (the trainer's generateSamples asks after every token) and cut where its text reaches a stop sequence.
// Decoding stops once every sample has ended, which is where the time goes for real models: most answers end long
// before max_new_tokens.
// This module loads TensorFlow.js: import it only from workers and scripts, never from pages or API routes.
import { generateSamples, type TGenerateOptions } from "../../../trainer/src/generate";
import type { ICausalLM } from "../../../trainer/src/models/types";

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
  const until = stopAt ? (ids: readonly number[]) => stopAt(decode(ids)) !== null : undefined;
  return generateSamples(model, promptIds, options, until).map((sample) => {
    const text = decode(sample.tokenIds);
    const end = sample.finishReason === "stop-sequence" && stopAt ? stopAt(text) : null;
    return { text: end === null ? text : text.slice(0, end), tokenCount: sample.tokenIds.length, finishReason: sample.finishReason };
  });
}
