// A faithful port of CPython's difflib.SequenceMatcher (Lib/difflib.py, 3.8-3.12; unchanged in those versions).
// Masks must equal the reference code's, which runs Python's difflib, so every tie-break, the autojunk
// "popular element" rule and the junk-extension loops are reproduced exactly rather than replaced by an LCS diff.
// Sequences are arrays of integers (callers intern lines or use code points) so element equality is `===`.

export type Match = { a: number; b: number; size: number };
export type OpcodeTag = "replace" | "delete" | "insert" | "equal";
export type Opcode = [tag: OpcodeTag, i1: number, i2: number, j1: number, j2: number];
export type Sequence = ArrayLike<number>;

/** Python's _calculate_ratio: same operation order so the doubles are bit-identical. */
export function calculateRatio(matches: number, length: number): number {
  return length ? (2.0 * matches) / length : 1.0;
}

const EMPTY: readonly number[] = [];

export class SequenceMatcher {
  private a: Sequence = EMPTY;
  private b: Sequence = EMPTY;
  private b2j = new Map<number, number[]>();
  private bjunk = new Set<number>();
  private bpopular = new Set<number>();
  private fullbcount: Map<number, number> | null = null;
  private matchingBlocks: Match[] | null = null;
  private opcodes: Opcode[] | null = null;
  // Row buffers for find_longest_match, reused across calls (index j+1 holds the run length ending at b[j]).
  private rowPrev = new Int32Array(1);
  private rowCur = new Int32Array(1);

  constructor(
    private readonly isjunk: ((x: number) => boolean) | null = null,
    a: Sequence = EMPTY,
    b: Sequence = EMPTY,
    private readonly autojunk = true,
  ) {
    this.setSeqs(a, b);
  }

  setSeqs(a: Sequence, b: Sequence): void {
    this.setSeq1(a);
    this.setSeq2(b);
  }

  setSeq1(a: Sequence): void {
    if (a === this.a) return;
    this.a = a;
    this.matchingBlocks = this.opcodes = null;
  }

  setSeq2(b: Sequence): void {
    if (b === this.b) return;
    this.b = b;
    this.matchingBlocks = this.opcodes = null;
    this.fullbcount = null;
    this.chainB();
  }

  /** Elements of b treated as junk by the autojunk heuristic (exposed for tests and diagnostics). */
  get popular(): ReadonlySet<number> {
    return this.bpopular;
  }

  private chainB(): void {
    const b = this.b;
    const b2j = new Map<number, number[]>();
    for (let i = 0; i < b.length; i++) {
      const elt = b[i];
      const indices = b2j.get(elt);
      if (indices) indices.push(i);
      else b2j.set(elt, [i]);
    }
    const junk = new Set<number>();
    if (this.isjunk) {
      for (const elt of b2j.keys()) if (this.isjunk(elt)) junk.add(elt);
      for (const elt of junk) b2j.delete(elt);
    }
    const popular = new Set<number>();
    const n = b.length;
    if (this.autojunk && n >= 200) {
      // Python: ntest = n // 100 + 1; an element is popular when it occurs MORE than ntest times.
      const ntest = Math.floor(n / 100) + 1;
      for (const [elt, idxs] of b2j) if (idxs.length > ntest) popular.add(elt);
      for (const elt of popular) b2j.delete(elt);
    }
    this.b2j = b2j;
    this.bjunk = junk;
    this.bpopular = popular;
    if (this.rowPrev.length < n + 1) {
      this.rowPrev = new Int32Array(n + 1);
      this.rowCur = new Int32Array(n + 1);
    }
  }

  findLongestMatch(alo = 0, ahi: number = this.a.length, blo = 0, bhi: number = this.b.length): Match {
    const a = this.a;
    const b = this.b;
    const b2j = this.b2j;
    const bjunk = this.bjunk;
    let besti = alo;
    let bestj = blo;
    let bestsize = 0;
    let prev = this.rowPrev;
    let cur = this.rowCur;
    // Indices written in the previous/current row, so rows are cleared in O(touched) rather than O(len(b)).
    let prevTouched: number[] = [];
    let curTouched: number[] = [];
    for (let i = alo; i < ahi; i++) {
      const js = b2j.get(a[i]);
      if (js !== undefined) {
        for (let t = 0; t < js.length; t++) {
          const j = js[t];
          if (j < blo) continue;
          if (j >= bhi) break;
          const k = prev[j] + 1;
          cur[j + 1] = k;
          curTouched.push(j + 1);
          if (k > bestsize) {
            besti = i - k + 1;
            bestj = j - k + 1;
            bestsize = k;
          }
        }
      }
      for (let t = 0; t < prevTouched.length; t++) prev[prevTouched[t]] = 0;
      const swap = prev;
      prev = cur;
      cur = swap;
      const swapT = prevTouched;
      prevTouched = curTouched;
      curTouched = swapT;
      curTouched.length = 0;
    }
    for (let t = 0; t < prevTouched.length; t++) prev[prevTouched[t]] = 0;

    // Python only tests membership in bjunk here, so popular elements ARE absorbed by these two loops.
    while (besti > alo && bestj > blo && !bjunk.has(b[bestj - 1]) && a[besti - 1] === b[bestj - 1]) {
      besti--;
      bestj--;
      bestsize++;
    }
    while (
      besti + bestsize < ahi &&
      bestj + bestsize < bhi &&
      !bjunk.has(b[bestj + bestsize]) &&
      a[besti + bestsize] === b[bestj + bestsize]
    ) {
      bestsize++;
    }
    if (bjunk.size > 0) {
      while (besti > alo && bestj > blo && bjunk.has(b[bestj - 1]) && a[besti - 1] === b[bestj - 1]) {
        besti--;
        bestj--;
        bestsize++;
      }
      while (
        besti + bestsize < ahi &&
        bestj + bestsize < bhi &&
        bjunk.has(b[bestj + bestsize]) &&
        a[besti + bestsize] === b[bestj + bestsize]
      ) {
        bestsize++;
      }
    }
    return { a: besti, b: bestj, size: bestsize };
  }

  getMatchingBlocks(): Match[] {
    if (this.matchingBlocks) return this.matchingBlocks;
    const la = this.a.length;
    const lb = this.b.length;
    // Same explicit LIFO queue as CPython; the order only matters for the final sort, kept for fidelity.
    const queue: [number, number, number, number][] = [[0, la, 0, lb]];
    const blocks: Match[] = [];
    while (queue.length) {
      const [alo, ahi, blo, bhi] = queue.pop()!;
      const x = this.findLongestMatch(alo, ahi, blo, bhi);
      const { a: i, b: j, size: k } = x;
      if (k) {
        blocks.push(x);
        if (alo < i && blo < j) queue.push([alo, i, blo, j]);
        if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
      }
    }
    blocks.sort((p, q) => p.a - q.a || p.b - q.b || p.size - q.size);
    let i1 = 0;
    let j1 = 0;
    let k1 = 0;
    const nonAdjacent: Match[] = [];
    for (const { a: i2, b: j2, size: k2 } of blocks) {
      if (i1 + k1 === i2 && j1 + k1 === j2) {
        k1 += k2;
      } else {
        if (k1) nonAdjacent.push({ a: i1, b: j1, size: k1 });
        i1 = i2;
        j1 = j2;
        k1 = k2;
      }
    }
    if (k1) nonAdjacent.push({ a: i1, b: j1, size: k1 });
    nonAdjacent.push({ a: la, b: lb, size: 0 });
    this.matchingBlocks = nonAdjacent;
    return nonAdjacent;
  }

  getOpcodes(): Opcode[] {
    if (this.opcodes) return this.opcodes;
    let i = 0;
    let j = 0;
    const answer: Opcode[] = [];
    for (const { a: ai, b: bj, size } of this.getMatchingBlocks()) {
      let tag: OpcodeTag | "" = "";
      if (i < ai && j < bj) tag = "replace";
      else if (i < ai) tag = "delete";
      else if (j < bj) tag = "insert";
      if (tag) answer.push([tag, i, ai, j, bj]);
      i = ai + size;
      j = bj + size;
      if (size) answer.push(["equal", ai, i, bj, j]);
    }
    this.opcodes = answer;
    return answer;
  }

  ratio(): number {
    let matches = 0;
    for (const m of this.getMatchingBlocks()) matches += m.size;
    return calculateRatio(matches, this.a.length + this.b.length);
  }

  quickRatio(): number {
    if (!this.fullbcount) {
      const counts = new Map<number, number>();
      for (let t = 0; t < this.b.length; t++) counts.set(this.b[t], (counts.get(this.b[t]) ?? 0) + 1);
      this.fullbcount = counts;
    }
    const fullbcount = this.fullbcount;
    const avail = new Map<number, number>();
    let matches = 0;
    for (let t = 0; t < this.a.length; t++) {
      const elt = this.a[t];
      const numb = avail.has(elt) ? avail.get(elt)! : (fullbcount.get(elt) ?? 0);
      avail.set(elt, numb - 1);
      if (numb > 0) matches++;
    }
    return calculateRatio(matches, this.a.length + this.b.length);
  }

  realQuickRatio(): number {
    const la = this.a.length;
    const lb = this.b.length;
    return calculateRatio(Math.min(la, lb), la + lb);
  }
}

/** Code points of a string, as Python iterates a str (not UTF-16 units). */
export function codePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        i++;
        continue;
      }
    }
    out.push(c);
  }
  return out;
}
