// A faithful port of CPython's difflib.Differ / difflib.ndiff (Lib/difflib.py as in 3.8-3.12; 3.13 rewrote
// _fancy_replace, so results can differ there). The reference mask code calls
// `ndiff(rejected, chosen, linejunk=None, charjunk=None)` over token ids as strings; the char-level similarity
// used by _fancy_replace is what makes ndiff differ from a plain diff, so it is reproduced step by step.
//
// The core produces a compact event stream (no strings) so masks can be computed without building diff lines;
// `ndiff()` renders the same events to Python's exact output lines, '? ' hint lines included.
import { SequenceMatcher, calculateRatio, codePoints } from "./sequence-matcher";

export type DiffEvent =
  | { kind: "equal"; i: number; j: number }
  | { kind: "delete"; i: number }
  | { kind: "insert"; j: number }
  /** A close (ratio >= 0.75) but not identical pair: rendered '- a', '? ..', '+ b', '? ..'. */
  | { kind: "pair"; i: number; j: number };

export type NdiffOptions = {
  /** Python's linejunk; null (the reference's choice) disables it. */
  linejunk?: ((line: string) => boolean) | null;
  /** Python's charjunk; null (the reference's choice) disables it. ndiff's own default, IS_CHARACTER_JUNK, is not applied. */
  charjunk?: ((ch: string) => boolean) | null;
};

const CUTOFF = 0.75;
const START_BEST = 0.74;

/** Interned view of two line sequences: equal lines share an integer id, each id has its code points. */
type Interned = {
  a: Int32Array;
  b: Int32Array;
  chars: number[][];
  lines: string[];
};

function intern<T extends string | number>(a: readonly T[], b: readonly T[]): Interned {
  const ids = new Map<T, number>();
  const lines: string[] = [];
  const chars: number[][] = [];
  const idOf = (x: T): number => {
    let id = ids.get(x);
    if (id === undefined) {
      id = lines.length;
      ids.set(x, id);
      const s = String(x);
      lines.push(s);
      chars.push(codePoints(s));
    }
    return id;
  };
  return { a: Int32Array.from(a, idOf), b: Int32Array.from(b, idOf), chars, lines };
}

/**
 * Char-level similarity between two interned lines, as _fancy_replace computes it with a fresh
 * SequenceMatcher(charjunk). Values are pure functions of the pair, so they are memoised per pair: this keeps
 * the exact Python decisions while avoiding the repeated work of the recursive synch search.
 */
class PairScorer {
  private readonly matcher: SequenceMatcher;
  private readonly quick = new Map<number, number>();
  private readonly full = new Map<number, number>();
  private readonly counts = new Map<number, Map<number, number>>();

  constructor(
    private readonly chars: number[][],
    charjunk: ((ch: string) => boolean) | null,
  ) {
    const isjunk = charjunk ? (cp: number) => charjunk(String.fromCodePoint(cp)) : null;
    this.matcher = new SequenceMatcher(isjunk);
  }

  private key(ia: number, ib: number): number {
    return ia * this.chars.length + ib;
  }

  realQuickRatio(ia: number, ib: number): number {
    const la = this.chars[ia].length;
    const lb = this.chars[ib].length;
    return calculateRatio(Math.min(la, lb), la + lb);
  }

  quickRatio(ia: number, ib: number): number {
    const k = this.key(ia, ib);
    let r = this.quick.get(k);
    if (r !== undefined) return r;
    let full = this.counts.get(ib);
    if (!full) {
      full = new Map();
      for (const c of this.chars[ib]) full.set(c, (full.get(c) ?? 0) + 1);
      this.counts.set(ib, full);
    }
    const avail = new Map<number, number>();
    let matches = 0;
    const a = this.chars[ia];
    for (let t = 0; t < a.length; t++) {
      const elt = a[t];
      const numb = avail.has(elt) ? avail.get(elt)! : (full.get(elt) ?? 0);
      avail.set(elt, numb - 1);
      if (numb > 0) matches++;
    }
    r = calculateRatio(matches, a.length + this.chars[ib].length);
    this.quick.set(k, r);
    return r;
  }

  ratio(ia: number, ib: number): number {
    const k = this.key(ia, ib);
    let r = this.full.get(k);
    if (r !== undefined) return r;
    this.matcher.setSeqs(this.chars[ia], this.chars[ib]);
    r = this.matcher.ratio();
    this.full.set(k, r);
    return r;
  }

  opcodes(ia: number, ib: number) {
    this.matcher.setSeqs(this.chars[ia], this.chars[ib]);
    return this.matcher.getOpcodes();
  }
}

type Task = { kind: "range"; alo: number; ahi: number; blo: number; bhi: number } | { kind: "emit"; event: DiffEvent };

function pushDump(out: DiffEvent[], kind: "delete" | "insert", lo: number, hi: number): void {
  for (let x = lo; x < hi; x++) out.push(kind === "delete" ? { kind, i: x } : { kind, j: x });
}

/** Differ._plain_replace: the shorter block first. */
function plainReplace(out: DiffEvent[], alo: number, ahi: number, blo: number, bhi: number): void {
  if (bhi - blo < ahi - alo) {
    pushDump(out, "insert", blo, bhi);
    pushDump(out, "delete", alo, ahi);
  } else {
    pushDump(out, "delete", alo, ahi);
    pushDump(out, "insert", blo, bhi);
  }
}

/**
 * Differ._fancy_replace and _fancy_helper, with Python's recursion turned into an explicit stack
 * (left part, synch pair, right part) so long blocks cannot overflow the call stack; output order is unchanged.
 */
function fancyReplace(
  out: DiffEvent[],
  a: Int32Array,
  b: Int32Array,
  scorer: PairScorer,
  alo0: number,
  ahi0: number,
  blo0: number,
  bhi0: number,
): void {
  const stack: Task[] = [{ kind: "range", alo: alo0, ahi: ahi0, blo: blo0, bhi: bhi0 }];
  while (stack.length) {
    const task = stack.pop()!;
    if (task.kind === "emit") {
      out.push(task.event);
      continue;
    }
    const { alo, ahi, blo, bhi } = task;
    // _fancy_helper's dispatch (the top-level call always has both sides non-empty).
    if (!(alo < ahi)) {
      if (blo < bhi) pushDump(out, "insert", blo, bhi);
      continue;
    }
    if (!(blo < bhi)) {
      pushDump(out, "delete", alo, ahi);
      continue;
    }
    let bestRatio = START_BEST;
    let bestI = -1;
    let bestJ = -1;
    let eqi = -1;
    let eqj = -1;
    for (let j = blo; j < bhi; j++) {
      const bj = b[j];
      for (let i = alo; i < ahi; i++) {
        const ai = a[i];
        if (ai === bj) {
          if (eqi < 0) {
            eqi = i;
            eqj = j;
          }
          continue;
        }
        if (
          scorer.realQuickRatio(ai, bj) > bestRatio &&
          scorer.quickRatio(ai, bj) > bestRatio &&
          scorer.ratio(ai, bj) > bestRatio
        ) {
          bestRatio = scorer.ratio(ai, bj);
          bestI = i;
          bestJ = j;
        }
      }
    }
    let identical: boolean;
    if (bestRatio < CUTOFF) {
      if (eqi < 0) {
        plainReplace(out, alo, ahi, blo, bhi);
        continue;
      }
      bestI = eqi;
      bestJ = eqj;
      identical = true;
    } else {
      identical = false;
    }
    // LIFO: push right part, then the synch pair, then the left part, so they run left, pair, right.
    stack.push({ kind: "range", alo: bestI + 1, ahi, blo: bestJ + 1, bhi });
    stack.push({
      kind: "emit",
      event: identical ? { kind: "equal", i: bestI, j: bestJ } : { kind: "pair", i: bestI, j: bestJ },
    });
    stack.push({ kind: "range", alo, ahi: bestI, blo, bhi: bestJ });
  }
}

function differEvents(interned: Interned, options: NdiffOptions, scorer: PairScorer): DiffEvent[] {
  const { a, b, lines } = interned;
  const linejunk = options.linejunk ?? null;
  const isjunk = linejunk ? (id: number) => linejunk(lines[id]) : null;
  const cruncher = new SequenceMatcher(isjunk, a, b);
  const out: DiffEvent[] = [];
  for (const [tag, alo, ahi, blo, bhi] of cruncher.getOpcodes()) {
    if (tag === "replace") fancyReplace(out, a, b, scorer, alo, ahi, blo, bhi);
    else if (tag === "delete") pushDump(out, "delete", alo, ahi);
    else if (tag === "insert") pushDump(out, "insert", blo, bhi);
    else for (let x = 0; x < ahi - alo; x++) out.push({ kind: "equal", i: alo + x, j: blo + x });
  }
  return out;
}

/** The ndiff event stream for two sequences of lines (what Differ.compare would print, without rendering). */
export function ndiffEvents(a: readonly string[], b: readonly string[], options: NdiffOptions = {}): DiffEvent[] {
  const interned = intern(a, b);
  return differEvents(interned, options, new PairScorer(interned.chars, options.charjunk ?? null));
}

// Python's str.isspace(): Unicode White_Space-ish set as CPython defines it (bidi WS/B/S or category Zs).
const PY_SPACE =
  /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;

function pyRstrip(s: string): string {
  const cps = Array.from(s);
  let end = cps.length;
  while (end > 0 && PY_SPACE.test(cps[end - 1])) end--;
  return cps.slice(0, end).join("");
}

/** difflib._keep_original_ws: zip over code points, keeping the line's own whitespace where the tag is ' '. */
function keepOriginalWs(s: string, tags: string): string {
  const sc = Array.from(s);
  const tc = Array.from(tags);
  const n = Math.min(sc.length, tc.length);
  let out = "";
  for (let k = 0; k < n; k++) out += tc[k] === " " && PY_SPACE.test(sc[k]) ? sc[k] : tc[k];
  return out;
}

function renderPair(lineA: string, lineB: string, ia: number, ib: number, scorer: PairScorer, out: string[]): void {
  let atags = "";
  let btags = "";
  for (const [tag, ai1, ai2, bj1, bj2] of scorer.opcodes(ia, ib)) {
    const la = ai2 - ai1;
    const lb = bj2 - bj1;
    if (tag === "replace") {
      atags += "^".repeat(la);
      btags += "^".repeat(lb);
    } else if (tag === "delete") atags += "-".repeat(la);
    else if (tag === "insert") btags += "+".repeat(lb);
    else {
      atags += " ".repeat(la);
      btags += " ".repeat(lb);
    }
  }
  atags = pyRstrip(keepOriginalWs(lineA, atags));
  btags = pyRstrip(keepOriginalWs(lineB, btags));
  out.push("- " + lineA);
  if (atags) out.push(`? ${atags}\n`);
  out.push("+ " + lineB);
  if (btags) out.push(`? ${btags}\n`);
}

/**
 * The event stream for `ndiff([str(t) for t in a], [str(t) for t in b])` over integer token ids, without
 * building the strings up front (String(n) equals Python's str(n) for integers, which is all the ids are).
 */
export function ndiffEventsForIds(a: readonly number[], b: readonly number[]): DiffEvent[] {
  for (const x of a) if (!Number.isSafeInteger(x)) throw new Error(`token id is not an integer: ${x}`);
  for (const x of b) if (!Number.isSafeInteger(x)) throw new Error(`token id is not an integer: ${x}`);
  const interned = intern(a, b);
  return differEvents(interned, {}, new PairScorer(interned.chars, null));
}

/** Exactly `list(difflib.ndiff(a, b, linejunk, charjunk))` as CPython 3.8-3.12 prints it. */
export function ndiff(a: readonly string[], b: readonly string[], options: NdiffOptions = {}): string[] {
  const interned = intern(a, b);
  const scorer = new PairScorer(interned.chars, options.charjunk ?? null);
  const events = differEvents(interned, options, scorer);
  const out: string[] = [];
  for (const e of events) {
    if (e.kind === "equal") out.push("  " + a[e.i]);
    else if (e.kind === "delete") out.push("- " + a[e.i]);
    else if (e.kind === "insert") out.push("+ " + b[e.j]);
    else renderPair(a[e.i], b[e.j], interned.a[e.i], interned.b[e.j], scorer, out);
  }
  return out;
}

