// Turns per-token byte strings into character offsets of the input (rule in ./types.ts).
// Byte-level tokenizers reproduce the input's UTF-8 exactly, so spans are found by walking the bytes; when a
// tokenizer's normalizer rewrote the text (lower-casing, NFKC, SentencePiece's dummy prefix...), the walk may
// fail and we fall back to aligning the decoded text with the input by a character diff, flagged `exact: false`.
import { SequenceMatcher, codePoints } from "../masks/sequence-matcher";
import type { TokenOffsets } from "./types";

const encoder = new TextEncoder();

/** For every UTF-8 byte of `text`: the UTF-16 start and end of the character it belongs to. */
export type ByteCharMap = { bytes: Uint8Array; charStart: Int32Array; charEnd: Int32Array; length: number };

export function buildByteCharMap(text: string): ByteCharMap {
  const bytes = encoder.encode(text);
  const charStart = new Int32Array(bytes.length);
  const charEnd = new Int32Array(bytes.length);
  let b = 0;
  for (let u = 0; u < text.length; ) {
    const c = text.charCodeAt(u);
    let units = 1;
    let n: number;
    if (c < 0x80) n = 1;
    else if (c < 0x800) n = 2;
    else if (c >= 0xd800 && c <= 0xdbff && u + 1 < text.length && (text.charCodeAt(u + 1) & 0xfc00) === 0xdc00) {
      n = 4;
      units = 2;
    } else n = 3; // BMP, or a lone surrogate which TextEncoder writes as U+FFFD (3 bytes)
    for (let k = 0; k < n; k++) {
      charStart[b + k] = u;
      charEnd[b + k] = u + units;
    }
    b += n;
    u += units;
  }
  return { bytes, charStart, charEnd, length: text.length };
}

/** Character span for the byte range [bs, be) under the covering rule. */
export function spanOfBytes(map: ByteCharMap, bs: number, be: number): TokenOffsets {
  const nb = map.bytes.length;
  if (be > bs) return [map.charStart[bs], map.charEnd[be - 1]];
  if (bs >= nb) return [map.length, map.length];
  // Empty token: at the character boundary, or just after the character it falls inside.
  const at = bs === 0 || map.charStart[bs] !== map.charStart[bs - 1] ? map.charStart[bs] : map.charEnd[bs];
  return [at, at];
}

export type TokenSurface = {
  bytes: Uint8Array;
  /** A surface that may be absent from the text (an added BOS/EOS); it gets an empty span when not found. */
  optional?: boolean;
  /** A leading space the tokenizer invented (SentencePiece dummy prefix), dropped when the text lacks it. */
  mayDropLeadingSpace?: boolean;
};

function startsWithAt(hay: Uint8Array, at: number, needle: Uint8Array, from = 0): boolean {
  if (at + needle.length - from > hay.length) return false;
  for (let k = from; k < needle.length; k++) if (hay[at + k - from] !== needle[k]) return false;
  return true;
}

function isAsciiSpace(x: number): boolean {
  return x === 0x20 || x === 0x09 || x === 0x0a || x === 0x0d || x === 0x0b || x === 0x0c;
}

/** Exact byte walk; null when some token's bytes are not where they should be. */
function walkBytes(map: ByteCharMap, surfaces: readonly TokenSurface[]): TokenOffsets[] | null {
  const hay = map.bytes;
  const out: TokenOffsets[] = [];
  let p = 0;
  for (const s of surfaces) {
    const tb = s.bytes;
    if (tb.length === 0) {
      out.push(spanOfBytes(map, p, p));
      continue;
    }
    if (startsWithAt(hay, p, tb)) {
      out.push(spanOfBytes(map, p, p + tb.length));
      p += tb.length;
      continue;
    }
    if (s.mayDropLeadingSpace && tb[0] === 0x20 && startsWithAt(hay, p, tb, 1)) {
      out.push(spanOfBytes(map, p, p + tb.length - 1));
      p += tb.length - 1;
      continue;
    }
    if (s.optional) {
      out.push(spanOfBytes(map, p, p));
      continue;
    }
    // WordPiece-style decoders drop the whitespace between words: skip it and retry.
    let q = p;
    while (q < hay.length && isAsciiSpace(hay[q])) q++;
    if (q > p && startsWithAt(hay, q, tb)) {
      out.push(spanOfBytes(map, q, q + tb.length));
      p = q + tb.length;
      continue;
    }
    return null;
  }
  return out;
}

const decoder = new TextDecoder("utf-8", { fatal: false });

/**
 * Fallback: decode each surface, align the concatenation with the input by SequenceMatcher over code points,
 * and map token boundaries piecewise-linearly through the matching blocks: exact inside matched runs,
 * proportional inside changed runs (so a lower-cased or NFKC-normalised word still lands on its original).
 */
function alignByDiff(text: string, surfaces: readonly TokenSurface[]): TokenOffsets[] {
  const pieces = surfaces.map((s) => codePoints(decoder.decode(s.bytes)));
  const decoded = pieces.flat();
  const input = codePoints(text);
  const inputUnit = new Int32Array(input.length + 1);
  for (let k = 0, u = 0; k < input.length; k++) {
    inputUnit[k] = u;
    u += input[k] > 0xffff ? 2 : 1;
  }
  inputUnit[input.length] = text.length;
  const blocks = new SequenceMatcher(null, decoded, input, false).getMatchingBlocks();
  // Anchors (decoded position, input position), increasing in both coordinates.
  const anchors: [number, number][] = [[0, 0]];
  for (const blk of blocks) {
    if (blk.size === 0) continue;
    anchors.push([blk.a, blk.b], [blk.a + blk.size, blk.b + blk.size]);
  }
  anchors.push([decoded.length, input.length]);
  const project = (d: number): number => {
    let k = 1;
    while (k < anchors.length - 1 && anchors[k][0] < d) k++;
    const [a0, b0] = anchors[k - 1];
    const [a1, b1] = anchors[k];
    if (a1 === a0) return b1;
    return b0 + ((d - a0) * (b1 - b0)) / (a1 - a0);
  };
  const out: TokenOffsets[] = [];
  let d = 0;
  for (const piece of pieces) {
    const startCp = Math.min(input.length, Math.floor(project(d)));
    d += piece.length;
    const endCp = Math.max(startCp, Math.min(input.length, Math.ceil(project(d))));
    out.push([inputUnit[startCp], inputUnit[endCp]]);
  }
  return out;
}

/** Offsets for tokens whose byte strings are known; `exact` tells whether the byte walk succeeded. */
export function alignTokenOffsets(
  text: string,
  surfaces: readonly TokenSurface[],
): { offsets: TokenOffsets[]; exact: boolean } {
  const map = buildByteCharMap(text);
  const walked = walkBytes(map, surfaces);
  if (walked) return { offsets: walked, exact: true };
  return { offsets: alignByDiff(text, surfaces), exact: false };
}
