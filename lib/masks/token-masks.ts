// Security-relevant token masks m+ (chosen/secure) and m- (rejected/insecure), computed as the LPO reference code
// does (method.md section 3): ndiff over the token ids as strings, `- ` lines mark rejected positions, `+ ` lines
// mark chosen positions, `? ` lines are ignored, and a single unmarked token squeezed between two marked ones
// (idx - last_set == 2) is marked too.
//
// Reading of the reference where its text is not available to us, documented so it can be checked:
// - each side has its own position counter: `  ` advances both, `- ` advances the rejected one, `+ ` the chosen one;
// - `last_set` is per side and starts "unset", so the first mark of a side never fills a gap (a start value of
//   -2 would make Python fill index -1, i.e. the LAST token, which we take to be unintended);
// - `last_set` only moves to marked positions from `- `/`+ ` lines, never to gap-filled ones (a filled gap is
//   always below the current position, so this only matters for the ordering, not the result).
import { ndiffEventsForIds, type DiffEvent } from "./ndiff";

export type TokenMasks = {
  /** m-: 1 where the rejected (insecure) token is security-relevant. Same length as the rejected ids. */
  rejected: Uint8Array;
  /** m+: 1 where the chosen (secure) token is security-relevant. Same length as the chosen ids. */
  chosen: Uint8Array;
};

export type MaskOptions = {
  /** Apply the single-token gap fill (reference behaviour). Off gives the raw ndiff marks. */
  fillSingleGaps?: boolean;
};

/** Marks one side's position and applies the one-token gap rule; returns the new last_set. */
function mark(mask: Uint8Array, idx: number, lastSet: number, fill: boolean): number {
  mask[idx] = 1;
  if (fill && lastSet >= 0 && idx - lastSet === 2) mask[idx - 1] = 1;
  return idx;
}

/** Masks from an ndiff event stream (see ndiff.ts); exposed so callers holding events need not diff twice. */
export function masksFromEvents(
  events: readonly DiffEvent[],
  rejectedLength: number,
  chosenLength: number,
  options: MaskOptions = {},
): TokenMasks {
  const fill = options.fillSingleGaps ?? true;
  const rejected = new Uint8Array(rejectedLength);
  const chosen = new Uint8Array(chosenLength);
  let r = 0;
  let c = 0;
  let lastR = -1;
  let lastC = -1;
  for (const e of events) {
    switch (e.kind) {
      case "equal":
        r++;
        c++;
        break;
      case "delete":
        lastR = mark(rejected, r++, lastR, fill);
        break;
      case "insert":
        lastC = mark(chosen, c++, lastC, fill);
        break;
      case "pair":
        // Rendered as '- a', ['? ..'], '+ b', ['? ..']: one mark on each side.
        lastR = mark(rejected, r++, lastR, fill);
        lastC = mark(chosen, c++, lastC, fill);
        break;
    }
  }
  if (r !== rejectedLength || c !== chosenLength) {
    throw new Error(`ndiff events cover ${r}/${c} tokens, expected ${rejectedLength}/${chosenLength}`);
  }
  return { rejected, chosen };
}

/**
 * m- and m+ for one preference pair. rejected = insecure code's token ids, chosen = secure code's token ids
 * (the reference calls `ndiff(rejected, chosen)`, so the argument order matters for tie-breaks).
 */
export function computeTokenMasks(
  rejectedIds: readonly number[],
  chosenIds: readonly number[],
  options: MaskOptions = {},
): TokenMasks {
  const events = ndiffEventsForIds(rejectedIds, chosenIds);
  return masksFromEvents(events, rejectedIds.length, chosenIds.length, options);
}

/**
 * The same masks read off rendered ndiff lines, exactly as the reference loop reads them
 * (used to check the renderer and the event path against each other and against Python).
 */
export function masksFromNdiffLines(
  lines: readonly string[],
  rejectedLength: number,
  chosenLength: number,
  options: MaskOptions = {},
): TokenMasks {
  const fill = options.fillSingleGaps ?? true;
  const rejected = new Uint8Array(rejectedLength);
  const chosen = new Uint8Array(chosenLength);
  let r = 0;
  let c = 0;
  let lastR = -1;
  let lastC = -1;
  for (const line of lines) {
    const code = line.slice(0, 2);
    if (code === "  ") {
      r++;
      c++;
    } else if (code === "- ") lastR = mark(rejected, r++, lastR, fill);
    else if (code === "+ ") lastC = mark(chosen, c++, lastC, fill);
  }
  return { rejected, chosen };
}

/** Fraction of marked tokens (0 for an empty side, so callers never divide by zero). */
export function maskFraction(mask: ArrayLike<number>): number {
  if (mask.length === 0) return 0;
  let n = 0;
  for (let k = 0; k < mask.length; k++) n += mask[k] ? 1 : 0;
  return n / mask.length;
}
