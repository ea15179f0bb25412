// Records to token ids: the prompt and each response are encoded separately (as TRL does), security masks are computed
// on the two responses' ids with the injected mask function (lib/masks' computeTokenMasks), and then everything is
// truncated so that masks stay one-to-one with the kept tokens.
//
// Truncation (TRL's rule, limits from config.maxLength / config.maxPromptLength, in tokens of prompt + response):
// 1. only when prompt + longest response exceeds maxLength, a prompt longer than maxPromptLength keeps its LAST
//    maxPromptLength tokens (left truncation: the instruction's end and the "### Security Thought:" header stay);
// 2. each response keeps its FIRST maxLength - prompt tokens (right truncation), its mask cut at the same place.
// Masks are computed before truncation, on the whole responses: which tokens are security-relevant does not depend on
// where the window ends, so a kept token keeps its mark.
// EOS (when the tokenizer has one) ends every response, unmarked, before truncation.
import { formatPair, formatSft, type TFormatOptions } from "./format";
import type { TMaskFunction, TTokenizedPair, TTokenizedSft, TTokenizerLike, TTrainingRecord } from "./types";

export type TTruncationLimits = { maxLength: number; maxPromptLength: number };
export type TTokenizeOptions = TFormatOptions & TTruncationLimits;

function checkLimits(limits: TTruncationLimits): void {
  if (!Number.isInteger(limits.maxLength) || !Number.isInteger(limits.maxPromptLength) || limits.maxPromptLength < 1) {
    throw new Error(`truncation limits must be positive integers, got ${JSON.stringify(limits)}`);
  }
  if (limits.maxPromptLength >= limits.maxLength) {
    throw new Error(`maxPromptLength (${limits.maxPromptLength}) must be smaller than maxLength (${limits.maxLength})`);
  }
}

/** Kept prompt ids and the number of tokens each response keeps (see the rule above). */
export function truncationPlan(
  promptIds: readonly number[],
  responseLengths: readonly number[],
  limits: TTruncationLimits,
): { promptIds: number[]; responseLengths: number[]; truncated: boolean } {
  checkLimits(limits);
  const longest = Math.max(0, ...responseLengths);
  let prompt = [...promptIds];
  if (prompt.length + longest > limits.maxLength && prompt.length > limits.maxPromptLength) {
    prompt = prompt.slice(prompt.length - limits.maxPromptLength);
  }
  const budget = limits.maxLength - prompt.length;
  const kept = responseLengths.map((length) => Math.min(length, budget));
  const truncated = prompt.length < promptIds.length || kept.some((length, i) => length < responseLengths[i]);
  return { promptIds: prompt, responseLengths: kept, truncated };
}

function withEos(ids: number[], tokenizer: TTokenizerLike): number[] {
  return tokenizer.eosTokenId === undefined ? ids : [...ids, tokenizer.eosTokenId];
}

function maskToArray(mask: ArrayLike<number>, expected: number, side: string): number[] {
  if (mask.length !== expected) throw new Error(`mask function returned ${mask.length} ${side} marks for ${expected} tokens`);
  return Array.from(mask, (m) => (m ? 1 : 0));
}

export function tokenizePair(
  record: TTrainingRecord,
  tokenizer: TTokenizerLike,
  computeMasks: TMaskFunction,
  options: TTokenizeOptions,
): TTokenizedPair {
  const text = formatPair(record, options);
  const chosenCore = tokenizer.encode(text.chosen);
  const rejectedCore = tokenizer.encode(text.rejected);
  const masks = computeMasks(rejectedCore, chosenCore);
  const chosenIds = withEos(chosenCore, tokenizer);
  const rejectedIds = withEos(rejectedCore, tokenizer);
  const chosenMask = [...maskToArray(masks.chosen, chosenCore.length, "chosen"), ...(chosenIds.length > chosenCore.length ? [0] : [])];
  const rejectedMask = [
    ...maskToArray(masks.rejected, rejectedCore.length, "rejected"),
    ...(rejectedIds.length > rejectedCore.length ? [0] : []),
  ];
  const plan = truncationPlan(tokenizer.encode(text.prompt), [chosenIds.length, rejectedIds.length], options);
  const [chosenKept, rejectedKept] = plan.responseLengths;
  return {
    id: record.id,
    cweId: record.cweId,
    language: record.language,
    promptIds: plan.promptIds,
    chosenIds: chosenIds.slice(0, chosenKept),
    chosenMask: chosenMask.slice(0, chosenKept),
    rejectedIds: rejectedIds.slice(0, rejectedKept),
    rejectedMask: rejectedMask.slice(0, rejectedKept),
    truncated: plan.truncated,
  };
}

export function tokenizeSft(record: TTrainingRecord, tokenizer: TTokenizerLike, options: TTokenizeOptions): TTokenizedSft {
  const text = formatSft(record, options);
  const responseIds = withEos(tokenizer.encode(text.response), tokenizer);
  const plan = truncationPlan(tokenizer.encode(text.prompt), [responseIds.length], options);
  return {
    id: record.id,
    cweId: record.cweId,
    language: record.language,
    promptIds: plan.promptIds,
    responseIds: responseIds.slice(0, plan.responseLengths[0]),
    truncated: plan.truncated,
  };
}
