// Parity with Python's own difflib: the same ids go through CPython's ndiff (one python3 process for every case)
// and through our port; diff lines and masks must be identical. Cases are seeded and cover identical pairs, empty
// sides, small edits, heavy rewrites, near-miss ids (char-level ratio >= 0.75, which triggers _fancy_replace
// pairing), sequences of 200+ tokens with popular elements (autojunk), and the real DiSCo-Test pairs.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadTokenizer } from "../tokenizers/registry";
import { readDiscoTestPairs, repoRoot } from "./fixtures/disco-test-pairs";
import { ndiff, ndiffEventsForIds } from "./ndiff";
import { computeTokenMasks, masksFromNdiffLines } from "./token-masks";

type IdCase = { name: string; rejected: number[]; chosen: number[] };
type LineCase = { name: string; a: string[]; b: string[] };
type PyResult = { lines: string[]; rejected?: number[]; chosen?: number[] };

const python = spawnSync("python3", ["--version"], { encoding: "utf8" });
const havePython = python.status === 0;
if (!havePython) console.warn("[ndiff parity] skipped: python3 is not available to act as the difflib oracle");

function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Code-like token streams: a few very frequent ids (space, newline, parens) and a long tail. */
function codeLike(rnd: () => number, length: number): number[] {
  const frequent = [220, 198, 7, 8, 13, 25, 284, 262];
  const out: number[] = [];
  for (let k = 0; k < length; k++) {
    out.push(rnd() < 0.35 ? frequent[Math.floor(rnd() * frequent.length)] : 300 + Math.floor(rnd() ** 2 * 40000));
  }
  return out;
}

/** An id whose decimal string is close to the original's (same length, one digit changed or swapped). */
function nearMiss(rnd: () => number, id: number): number {
  const s = String(id).split("");
  if (s.length < 2) return id + 10;
  const k = Math.floor(rnd() * s.length);
  if (rnd() < 0.5 && k + 1 < s.length) [s[k], s[k + 1]] = [s[k + 1], s[k]];
  else s[k] = String((Number(s[k]) + 1 + Math.floor(rnd() * 8)) % 10);
  if (s[0] === "0") s[0] = "1";
  return Number(s.join(""));
}

function edit(rnd: () => number, base: number[], edits: number, near: number): number[] {
  const out = [...base];
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rnd() * (out.length + 1));
    const r = rnd();
    const run = 1 + Math.floor(rnd() * 6);
    if (r < 0.3) out.splice(at, run, ...codeLike(rnd, run));
    else if (r < 0.55) out.splice(at, 0, ...codeLike(rnd, run));
    else if (r < 0.75) out.splice(at, run);
    else for (let k = at; k < Math.min(out.length, at + run); k++) if (rnd() < near) out[k] = nearMiss(rnd, out[k]);
  }
  return out;
}

function generatedCases(): IdCase[] {
  const rnd = mulberry32(20240611);
  const cases: IdCase[] = [];
  const add = (name: string, rejected: number[], chosen: number[]) => cases.push({ name, rejected, chosen });
  add("both empty", [], []);
  for (let n = 0; n < 10; n++) {
    const x = codeLike(rnd, 1 + Math.floor(rnd() * 300));
    add(`empty rejected #${n}`, [], x);
    add(`empty chosen #${n}`, x, []);
  }
  for (let n = 0; n < 40; n++) {
    const x = codeLike(rnd, Math.floor(rnd() * 400));
    add(`identical #${n}`, x, [...x]);
  }
  for (let n = 0; n < 170; n++) {
    const x = codeLike(rnd, 5 + Math.floor(rnd() * 180));
    add(`small edit #${n}`, x, edit(rnd, x, 1 + Math.floor(rnd() * 4), 0.6));
  }
  for (let n = 0; n < 80; n++) {
    const x = codeLike(rnd, 5 + Math.floor(rnd() * 150));
    add(`near-miss ids #${n}`, x, x.map((id) => (rnd() < 0.3 ? nearMiss(rnd, id) : id)));
  }
  for (let n = 0; n < 80; n++) {
    const x = codeLike(rnd, Math.floor(rnd() * 200));
    const y = rnd() < 0.5 ? codeLike(rnd, Math.floor(rnd() * 200)) : edit(rnd, x, 12 + Math.floor(rnd() * 20), 0.9);
    add(`heavy rewrite #${n}`, x, y);
  }
  for (let n = 0; n < 130; n++) {
    const x = codeLike(rnd, 200 + Math.floor(rnd() * 700));
    add(`long (autojunk) #${n}`, x, edit(rnd, x, 2 + Math.floor(rnd() * 25), 0.7));
  }
  // Tiny alphabets make many lines identical, the hardest case for _fancy_replace; from 200 tokens on, every
  // element is popular, nothing matches and the whole pair is one cubic _fancy_replace (seconds in CPython),
  // so only three such cases are included.
  for (let n = 0; n < 19; n++) {
    const alpha = 2 + Math.floor(rnd() * 5);
    const len = n < 16 ? 20 + Math.floor(rnd() * 170) : 200 + Math.floor(rnd() * 10);
    const x = Array.from({ length: len }, () => 10 + Math.floor(rnd() * alpha));
    const y = Array.from({ length: len + Math.floor(rnd() * 20) - 10 }, () => 10 + Math.floor(rnd() * alpha));
    add(`tiny alphabet #${n}`, x, y);
  }
  return cases;
}

const lineCases: LineCase[] = [
  // The example from difflib's own documentation.
  { name: "docs", a: ["one\n", "two\n", "three\n"], b: ["ore\n", "tree\n", "emu\n"] },
  { name: "whitespace kept in hints", a: ["\tif x  == 1:\n", "  pass\n"], b: ["\tif x == 1:\n", "    pass\n"] },
  { name: "non-ASCII", a: ["naïve café", "𝔘nicode 😀 x", "same"], b: ["naive cafe", "𝔘nicode 😁 y", "same"] },
  {
    name: "code lines",
    a: ["import os", "def run(cmd):", "    os.system(cmd)", "run(input())"],
    b: ["import subprocess", "import shlex", "def run(cmd):", "    subprocess.run(shlex.split(cmd))", "run(input())"],
  },
];

/** Masks from a textbook LCS diff (plus the same gap rule): shows the corpus separates difflib from it. */
function lcsMasks(a: number[], b: number[]): string {
  const n = a.length;
  const m = b.length;
  const dp = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) dp[i][j] = a[i] === b[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  const ra = new Uint8Array(n).fill(1);
  const rb = new Uint8Array(m).fill(1);
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i] === b[j]) {
      ra[i++] = 0;
      rb[j++] = 0;
    } else if (dp[i + 1][j] >= dp[i][j + 1]) i++;
    else j++;
  }
  return `${fillGaps(ra).join("")}|${fillGaps(rb).join("")}`;
}

/** The reference's one-token gap rule applied to a finished mark vector. */
function fillGaps(mask: Uint8Array): Uint8Array {
  const out = Uint8Array.from(mask);
  let last = -1;
  for (let k = 0; k < mask.length; k++) {
    if (!mask[k]) continue;
    if (last >= 0 && k - last === 2) out[k - 1] = 1;
    last = k;
  }
  return out;
}

describe.skipIf(!havePython)("ndiff parity with CPython difflib", () => {
  let idCases: IdCase[] = [];
  let results: PyResult[] = [];
  let pythonVersion = "";
  let discoCount = 0;

  beforeAll(async () => {
    idCases = generatedCases();
    const disco = readDiscoTestPairs();
    if (disco.rows) {
      const tokenizer = await loadTokenizer();
      disco.rows.forEach((row, k) =>
        idCases.push({
          name: `DiSCo-Test row ${k}`,
          rejected: tokenizer.encodeIds(row.insecure),
          chosen: tokenizer.encodeIds(row.secure),
        }),
      );
      discoCount = disco.rows.length;
    } else {
      console.warn(`[ndiff parity] DiSCo-Test pairs skipped: ${disco.reason}`);
    }
    const payload = JSON.stringify({
      cases: [...idCases.map(({ rejected, chosen }) => ({ rejected, chosen })), ...lineCases.map(({ a, b }) => ({ a, b }))],
    });
    const run = spawnSync("python3", [path.join(repoRoot, "lib/masks/fixtures/difflib_oracle.py")], {
      input: payload,
      encoding: "utf8",
      maxBuffer: 1 << 30,
    });
    if (run.status !== 0) throw new Error(`difflib oracle failed: ${run.stderr}`);
    const parsed = JSON.parse(run.stdout) as { python: string; results: PyResult[] };
    results = parsed.results;
    pythonVersion = parsed.python;
    const [maj, min] = pythonVersion.split(".").map(Number);
    // 3.13 rewrote Differ._fancy_replace; the port follows 3.8-3.12, the versions the reference ran on.
    if (maj !== 3 || min < 8 || min > 12) console.warn(`[ndiff parity] oracle is Python ${pythonVersion}, port follows 3.8-3.12`);
  }, 120_000);

  it("covers at least 500 generated pairs plus the real DiSCo-Test pairs", () => {
    expect(idCases.length - discoCount).toBeGreaterThanOrEqual(500);
    expect(results.length).toBe(idCases.length + lineCases.length);
  });

  it("prints the same ndiff lines as Python for every token-id pair", () => {
    const mismatches: string[] = [];
    idCases.forEach((c, k) => {
      const ours = ndiff(c.rejected.map(String), c.chosen.map(String));
      if (JSON.stringify(ours) !== JSON.stringify(results[k].lines)) mismatches.push(c.name);
    });
    expect(mismatches).toEqual([]);
  });

  it("gives the same m- and m+ as the reference loop over Python's output", () => {
    const mismatches: string[] = [];
    idCases.forEach((c, k) => {
      const ours = computeTokenMasks(c.rejected, c.chosen);
      const theirs = results[k];
      if (Array.from(ours.rejected).join("") !== theirs.rejected!.join("")) mismatches.push(`${c.name} (m-)`);
      if (Array.from(ours.chosen).join("") !== theirs.chosen!.join("")) mismatches.push(`${c.name} (m+)`);
      // Reading the masks off Python's own lines with our loop must agree too.
      const fromLines = masksFromNdiffLines(theirs.lines, c.rejected.length, c.chosen.length);
      if (Array.from(fromLines.rejected).join("") !== theirs.rejected!.join("")) mismatches.push(`${c.name} (lines m-)`);
    });
    expect(mismatches).toEqual([]);
  });

  it("prints the same lines as Python for text lines (hint lines, whitespace, non-ASCII)", () => {
    lineCases.forEach((c, k) => {
      expect(ndiff(c.a, c.b)).toEqual(results[idCases.length + k].lines);
    });
  });

  it("exercises the paths where difflib is not a plain diff", () => {
    let fancyPairs = 0;
    let autojunkCases = 0;
    let differsFromLcs = 0;
    idCases.forEach((c, k) => {
      if (ndiffEventsForIds(c.rejected, c.chosen).some((e) => e.kind === "pair")) fancyPairs++;
      if (c.chosen.length >= 200) {
        const counts = new Map<number, number>();
        for (const x of c.chosen) counts.set(x, (counts.get(x) ?? 0) + 1);
        const ntest = Math.floor(c.chosen.length / 100) + 1;
        if ([...counts.values()].some((v) => v > ntest)) autojunkCases++;
      }
      const py = results[k];
      if (lcsMasks(c.rejected, c.chosen) !== `${py.rejected!.join("")}|${py.chosen!.join("")}`) differsFromLcs++;
    });
    console.info(
      `[ndiff parity] Python ${pythonVersion}: ${idCases.length} id pairs (${discoCount} DiSCo-Test), ` +
        `${fancyPairs} with fancy pairs, ${autojunkCases} with popular elements, ${differsFromLcs} unlike an LCS diff`,
    );
    expect(fancyPairs).toBeGreaterThanOrEqual(50);
    expect(autojunkCases).toBeGreaterThanOrEqual(100);
    // A corpus where a textbook diff would pass too could not catch a wrong port.
    expect(differsFromLcs).toBeGreaterThanOrEqual(100);
  });
});
