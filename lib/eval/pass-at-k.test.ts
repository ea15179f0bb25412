import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { meanPassAtK, passAtK } from "./pass-at-k";

/** C(n, k) exactly, with BigInt: the binomial form the product form must agree with. */
function comb(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return r;
}

describe("passAtK", () => {
  it("matches hand-computed values", () => {
    // 1 of 5 passing: a single draw passes with probability 1/5.
    expect(passAtK(5, 1, 1)).toBeCloseTo(0.2, 12);
    // n=10, c=3, k=5: 1 - C(7,5)/C(10,5) = 1 - 21/252 = 11/12.
    expect(passAtK(10, 3, 5)).toBeCloseTo(11 / 12, 12);
    // n=5, c=2, k=2: 1 - C(3,2)/C(5,2) = 1 - 3/10.
    expect(passAtK(5, 2, 2)).toBeCloseTo(0.7, 12);
  });
  it("is exactly 1 when n - c < k", () => {
    expect(passAtK(5, 2, 5)).toBe(1);
    expect(passAtK(5, 5, 1)).toBe(1);
    expect(passAtK(10, 8, 3)).toBe(1);
  });
  it("is 0 when nothing passes, and k = n means any pass", () => {
    expect(passAtK(5, 0, 1)).toBe(0);
    expect(passAtK(5, 0, 5)).toBe(0);
    expect(passAtK(5, 1, 5)).toBe(1);
    // c = 0: the product runs over an empty range, so 1 - 1 = 0 for any k.
    expect(passAtK(200, 0, 200)).toBe(0);
  });
  it("agrees with the binomial form computed exactly with BigInt", () => {
    for (const n of [1, 2, 5, 10, 20, 37]) {
      for (let c = 0; c <= n; c++) {
        for (const k of [1, 2, 5, 10].filter((k) => k <= n)) {
          const ratio = Number((comb(n - c, k) * 10n ** 15n) / comb(n, k)) / 1e15;
          expect(passAtK(n, c, k)).toBeCloseTo(1 - ratio, 12);
        }
      }
    }
  });
  it("agrees with Python's math.comb on large n where the binomials overflow doubles", () => {
    const cases: [number, number, number][] = [
      [2000, 13, 100],
      [1500, 700, 50],
      [5, 3, 5],
    ];
    const script = `import json,math,sys\nfor n,c,k in json.loads(sys.argv[1]):\n  print(repr(1 - math.comb(n-c,k)/math.comb(n,k) if n-c>=k else 1.0))`;
    const py = spawnSync("python3", ["-c", script, JSON.stringify(cases)], { encoding: "utf8" });
    if (py.status !== 0) throw new Error(`python3 failed: ${py.stderr}`);
    const expected = py.stdout.trim().split("\n").map(Number);
    cases.forEach(([n, c, k], i) => expect(passAtK(n, c, k)).toBeCloseTo(expected[i]!, 10));
    // C(2000, 100) is ~1e180 by itself: the naive ratio would not even be finite in doubles for larger n.
    expect(Number.isFinite(passAtK(5000, 10, 1000))).toBe(true);
  });
  it("refuses impossible inputs", () => {
    expect(() => passAtK(5, 6, 1)).toThrow(/more passing/);
    expect(() => passAtK(5, 1, 6)).toThrow(/at least 6 samples/);
    expect(() => passAtK(5, 1, 0)).toThrow(/k >= 1/);
  });
});

describe("meanPassAtK", () => {
  it("averages problems and is undefined with too few samples", () => {
    expect(meanPassAtK([{ n: 5, c: 1 }, { n: 5, c: 0 }, { n: 5, c: 5 }], 1)).toBeCloseTo((0.2 + 0 + 1) / 3, 12);
    expect(meanPassAtK([{ n: 5, c: 1 }, { n: 3, c: 1 }], 5)).toBeNull();
    expect(meanPassAtK([], 1)).toBeNull();
  });
});
