// Dataset statistics in the shape of the DiSCo paper's Table 6 (avg lines of insecure/secure code, avg % of
// security-relevant tokens per side, avg character difference between secure and insecure code).
//
// Definitions (the paper does not spell them out; these are our most plausible reading, see the report in
// lib/masks/dataset-stats.test.ts for the figures on DiSCo-Test):
// - lines: `code.split("\n").length`, i.e. Python's len(code.split("\n")), 0 for empty code. On DiSCo-Test this
//   reproduces the paper's 17.8 for insecure code exactly; blank-line-free or newline counts do not.
// - masked %: per pair, 100 * (#tokens with mask 1) / (#tokens) on each side, masks as in token-masks.ts over the
//   code alone (no prompt or reasoning, which are identical on both sides and always unmarked), averaged over
//   pairs whose side is non-empty.
// - char diff: per pair |len(secure) - len(insecure)| in characters (code points), averaged. A simple length
//   difference is what a one-line pandas/Python computation of "char diff" gives; the Levenshtein distance is
//   offered as `avgEditDistance` for comparison.
import type { CodeTokenizer } from "../tokenizers/types";
import { computeTokenMasks, maskFraction, type MaskOptions } from "./token-masks";

export type CodePair = { insecure: string; secure: string };

export type DatasetStats = {
  pairs: number;
  tokenizerId: string;
  avgLinesInsecure: number;
  avgLinesSecure: number;
  avgMaskedPctInsecure: number;
  avgMaskedPctSecure: number;
  /** Mean |len(secure) - len(insecure)|, characters = code points. */
  avgCharDiff: number;
  /** Mean Levenshtein distance in code points; only when asked for (quadratic per pair). */
  avgEditDistance?: number;
  /** Pairs whose insecure and secure code are identical (no mask at all); the released data should have none. */
  identicalPairs: number;
};

export type DatasetStatsOptions = MaskOptions & { includeEditDistance?: boolean };

export function countLines(code: string): number {
  return code.length === 0 ? 0 : code.split("\n").length;
}

export function codePointLength(s: string): number {
  let n = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdbff && k + 1 < s.length && (s.charCodeAt(k + 1) & 0xfc00) === 0xdc00) k++;
    n++;
  }
  return n;
}

/** Levenshtein distance over code points, two rows of memory. */
export function editDistance(a: string, b: string): number {
  const A = Array.from(a, (c) => c.codePointAt(0)!);
  const B = Array.from(b, (c) => c.codePointAt(0)!);
  if (A.length === 0) return B.length;
  if (B.length === 0) return A.length;
  let prev = new Int32Array(B.length + 1);
  let cur = new Int32Array(B.length + 1);
  for (let j = 0; j <= B.length; j++) prev[j] = j;
  for (let i = 1; i <= A.length; i++) {
    cur[0] = i;
    const ai = A[i - 1];
    for (let j = 1; j <= B.length; j++) {
      const sub = prev[j - 1] + (ai === B[j - 1] ? 0 : 1);
      const del = prev[j] + 1;
      const ins = cur[j - 1] + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[B.length];
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length;
}

export function computeDatasetStats(
  pairs: readonly CodePair[],
  tokenizer: CodeTokenizer,
  options: DatasetStatsOptions = {},
): DatasetStats {
  const linesI: number[] = [];
  const linesS: number[] = [];
  const pctI: number[] = [];
  const pctS: number[] = [];
  const charDiff: number[] = [];
  const edits: number[] = [];
  let identical = 0;
  for (const { insecure, secure } of pairs) {
    linesI.push(countLines(insecure));
    linesS.push(countLines(secure));
    charDiff.push(Math.abs(codePointLength(secure) - codePointLength(insecure)));
    if (options.includeEditDistance) edits.push(editDistance(insecure, secure));
    if (insecure === secure) identical++;
    const rejected = tokenizer.encodeIds(insecure);
    const chosen = tokenizer.encodeIds(secure);
    const masks = computeTokenMasks(rejected, chosen, options);
    if (rejected.length) pctI.push(100 * maskFraction(masks.rejected));
    if (chosen.length) pctS.push(100 * maskFraction(masks.chosen));
  }
  return {
    pairs: pairs.length,
    tokenizerId: tokenizer.id,
    avgLinesInsecure: mean(linesI),
    avgLinesSecure: mean(linesS),
    avgMaskedPctInsecure: mean(pctI),
    avgMaskedPctSecure: mean(pctS),
    avgCharDiff: mean(charDiff),
    ...(options.includeEditDistance ? { avgEditDistance: mean(edits) } : {}),
    identicalPairs: identical,
  };
}
