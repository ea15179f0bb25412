import { beforeAll, describe, expect, it } from "vitest";
import { loadTokenizer } from "../tokenizers/registry";
import type { CodeTokenizer } from "../tokenizers/types";
import { codePointLength, computeDatasetStats, countLines, editDistance, type DatasetStats } from "./dataset-stats";
import { readDiscoTestPairs } from "./fixtures/disco-test-pairs";

/** A stand-in tokenizer: one token per whitespace-separated word, id = word length * 100 + first char code. */
const wordTokenizer: CodeTokenizer = {
  id: "words",
  kind: "huggingface",
  vocabSize: 0,
  encodeIds: (t) => t.split(/\s+/).filter(Boolean).map((w) => w.length * 1000 + w.charCodeAt(0)),
  encode: () => {
    throw new Error("not used");
  },
  decode: () => "",
};

describe("dataset statistics helpers", () => {
  it("counts lines as len(code.split('\\n'))", () => {
    expect(countLines("a\nb\nc")).toBe(3);
    expect(countLines("a\nb\n")).toBe(3);
    expect(countLines("")).toBe(0);
  });
  it("measures characters as code points and edit distance as Levenshtein", () => {
    expect(codePointLength("a😀")).toBe(2);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("😀x", "x")).toBe(1);
  });
  it("averages per pair", () => {
    const stats = computeDatasetStats(
      [
        { insecure: "a b c d", secure: "a b X d" }, // 1 of 4 tokens changed on each side
        { insecure: "one\ntwo", secure: "one\ntwo\nthree" }, // insertion only
      ],
      wordTokenizer,
      { includeEditDistance: true },
    );
    expect(stats.avgLinesInsecure).toBe(1.5);
    expect(stats.avgLinesSecure).toBe(2);
    expect(stats.avgMaskedPctInsecure).toBeCloseTo((25 + 0) / 2);
    expect(stats.avgMaskedPctSecure).toBeCloseTo((25 + 100 / 3) / 2);
    expect(stats.avgCharDiff).toBe((0 + 6) / 2);
    expect(stats.avgEditDistance).toBe((1 + 6) / 2);
    expect(stats.identicalPairs).toBe(0);
  });
});

const disco = readDiscoTestPairs();
if (!disco.rows) console.warn(`[dataset-stats] DiSCo-Test figures skipped: ${disco.reason}`);

describe.skipIf(!disco.rows)("DiSCo-Test statistics (paper Table 6)", () => {
  let stats: DatasetStats;
  beforeAll(async () => {
    stats = computeDatasetStats(disco.rows!, await loadTokenizer(), { includeEditDistance: true });
    const f = (x: number | undefined) => (x ?? NaN).toFixed(1);
    console.info(
      [
        `[dataset-stats] DiSCo-Test, ${stats.pairs} pairs, tokenizer ${stats.tokenizerId} (paper Table 6 is the full dataset):`,
        `  avg lines insecure / secure   ${f(stats.avgLinesInsecure)} / ${f(stats.avgLinesSecure)}   (paper 17.8 / 20.4)`,
        `  avg % masked insecure/secure  ${f(stats.avgMaskedPctInsecure)} / ${f(stats.avgMaskedPctSecure)}   (paper 15.6 / 26.1)`,
        `  avg char diff |len diff|      ${f(stats.avgCharDiff)}   (paper 152); Levenshtein ${f(stats.avgEditDistance)}`,
      ].join("\n"),
    );
  }, 60_000);

  it("has 200 distinct pairs", () => {
    expect(stats.pairs).toBe(200);
    expect(stats.identicalPairs).toBe(0);
  });
  it("reproduces the paper's line count for insecure code with the split('\\n') definition", () => {
    expect(stats.avgLinesInsecure).toBeCloseTo(17.8, 1);
    expect(stats.avgLinesSecure).toBeGreaterThan(stats.avgLinesInsecure);
  });
  it("marks a larger share of the secure side, as in the paper", () => {
    expect(stats.avgMaskedPctSecure).toBeGreaterThan(stats.avgMaskedPctInsecure);
    expect(stats.avgMaskedPctInsecure).toBeGreaterThan(0);
    expect(stats.avgMaskedPctSecure).toBeLessThan(100);
  });
  it("keeps the length difference below the edit distance (it is a lower bound)", () => {
    expect(stats.avgCharDiff).toBeLessThanOrEqual(stats.avgEditDistance!);
  });
});
