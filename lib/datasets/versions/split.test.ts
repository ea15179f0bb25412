import { describe, expect, it } from "vitest";
import { versionContentHash } from "./content-hash";
import { assignSplits, DEFAULT_SPLIT, seededRandom, splitCounts, ZSplitConfig } from "./split";

const ids = (n: number) => Array.from({ length: n }, (_, i) => `pair-${String(i).padStart(4, "0")}`);

describe("splitCounts", () => {
  it("gives the paper's split of 200 pairs as 190/6/4 and always sums to n", () => {
    expect(splitCounts(200, DEFAULT_SPLIT)).toEqual({ TRAIN: 190, VAL: 6, TEST: 4 });
    expect(splitCounts(49, DEFAULT_SPLIT)).toEqual({ TRAIN: 47, VAL: 1, TEST: 1 }); // 1.47 -> 1, 0.98 -> 1
    for (let n = 0; n < 300; n++) {
      const counts = splitCounts(n, DEFAULT_SPLIT);
      expect(counts.TRAIN + counts.VAL + counts.TEST).toBe(n);
      expect(Math.min(counts.TRAIN, counts.VAL, counts.TEST)).toBeGreaterThanOrEqual(0);
    }
    expect(splitCounts(1, { train: 0, val: 0.5, test: 0.5, seed: 1 })).toEqual({ TRAIN: 0, VAL: 1, TEST: 0 });
  });

  it("rejects fractions that do not add up to 1", () => {
    expect(ZSplitConfig.safeParse({ train: 0.9, val: 0.05, test: 0.02, seed: 42 }).success).toBe(false);
    expect(ZSplitConfig.safeParse(DEFAULT_SPLIT).success).toBe(true);
  });
});

describe("assignSplits", () => {
  it("is deterministic under a seed and independent of input order", () => {
    const a = assignSplits(ids(200), DEFAULT_SPLIT);
    const b = assignSplits([...ids(200)].reverse(), DEFAULT_SPLIT);
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
    const counts = { TRAIN: 0, VAL: 0, TEST: 0 };
    for (const split of a.values()) counts[split]++;
    expect(counts).toEqual({ TRAIN: 190, VAL: 6, TEST: 4 });
  });

  it("changes with the seed", () => {
    const a = assignSplits(ids(200), DEFAULT_SPLIT);
    const c = assignSplits(ids(200), { ...DEFAULT_SPLIT, seed: 7 });
    const differing = [...a.keys()].filter((id) => a.get(id) !== c.get(id));
    expect(differing.length).toBeGreaterThan(0);
  });

  it("uses a PRNG whose stream is fixed (a changed generator would silently re-split every dataset)", () => {
    const random = seededRandom(42);
    const first = [random(), random(), random()];
    const again = seededRandom(42);
    expect([again(), again(), again()]).toEqual(first);
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Set(first).size).toBe(3);
  });
});

describe("versionContentHash", () => {
  it("ignores order and changes when a revision or split changes", () => {
    const items = [
      { pairId: "b", contentHash: "h2", split: "TRAIN" },
      { pairId: "a", contentHash: "h1", split: "TEST" },
    ];
    expect(versionContentHash(items)).toBe(versionContentHash([...items].reverse()));
    expect(versionContentHash(items)).not.toBe(versionContentHash([items[0]!, { ...items[1]!, contentHash: "h1b" }]));
    expect(versionContentHash(items)).not.toBe(versionContentHash([items[0]!, { ...items[1]!, split: "VAL" }]));
    expect(versionContentHash(items)).toMatch(/^[0-9a-f]{64}$/);
  });
});
