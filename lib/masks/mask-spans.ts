// Masks for display: runs of masked tokens as token ranges, and as character spans of the code so the review UI
// can highlight exactly the security-relevant text on each side.
import type { CodeTokenizer, TokenOffsets } from "../tokenizers/types";
import { computeTokenMasks, type MaskOptions, type TokenMasks } from "./token-masks";

/** Half-open [start, end): token indices for token ranges, UTF-16 indices for character spans. */
export type Range = [start: number, end: number];

/** Maximal runs of consecutive masked tokens. */
export function maskToTokenRanges(mask: ArrayLike<number>): Range[] {
  const out: Range[] = [];
  let start = -1;
  for (let k = 0; k < mask.length; k++) {
    if (mask[k]) {
      if (start < 0) start = k;
    } else if (start >= 0) {
      out.push([start, k]);
      start = -1;
    }
  }
  if (start >= 0) out.push([start, mask.length]);
  return out;
}

/**
 * Character spans of the masked tokens: each token run becomes [first token's start, last token's end], and runs
 * whose spans touch or overlap are merged (an unmasked empty token, or a character shared by two byte-level
 * tokens, must not split a highlight). Empty spans are dropped.
 */
export function maskToCharSpans(mask: ArrayLike<number>, offsets: readonly TokenOffsets[]): Range[] {
  if (offsets.length !== mask.length) {
    throw new Error(`mask has ${mask.length} tokens but offsets have ${offsets.length}`);
  }
  const out: Range[] = [];
  for (const [t0, t1] of maskToTokenRanges(mask)) {
    let start = Infinity;
    let end = -Infinity;
    for (let t = t0; t < t1; t++) {
      start = Math.min(start, offsets[t][0]);
      end = Math.max(end, offsets[t][1]);
    }
    if (end <= start) continue;
    const last = out[out.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

export type SideMasks = {
  ids: number[];
  offsets: TokenOffsets[];
  mask: Uint8Array;
  tokenRanges: Range[];
  charSpans: Range[];
  /** False when the tokenizer rewrote the text and offsets were aligned approximately. */
  exactOffsets: boolean;
};

export type PairMasks = { insecure: SideMasks; secure: SideMasks };

function side(enc: { ids: number[]; offsets: TokenOffsets[]; exact: boolean }, mask: Uint8Array): SideMasks {
  return {
    ids: enc.ids,
    offsets: enc.offsets,
    mask,
    tokenRanges: maskToTokenRanges(mask),
    charSpans: maskToCharSpans(mask, enc.offsets),
    exactOffsets: enc.exact,
  };
}

/**
 * Tokenizes both versions of the code and returns m- (insecure = rejected) and m+ (secure = chosen) with their
 * token ranges and character spans, ready to highlight.
 */
export function computePairMasks(
  tokenizer: CodeTokenizer,
  insecureCode: string,
  secureCode: string,
  options: MaskOptions = {},
): PairMasks {
  const rejected = tokenizer.encode(insecureCode);
  const chosen = tokenizer.encode(secureCode);
  const masks: TokenMasks = computeTokenMasks(rejected.ids, chosen.ids, options);
  return { insecure: side(rejected, masks.rejected), secure: side(chosen, masks.chosen) };
}
