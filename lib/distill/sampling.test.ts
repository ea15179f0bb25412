// Property-style tests of the prompt plan over several seeds and shapes: coverage before repeats, exact kind counts,
// correct sample numbers, determinism, and clear errors on bad input.
import { describe, expect, it } from "vitest";
import { idempotencyKeyFor, planPrompts, SamplingError, seededRandom, summarizeCoverage, type TPlannedPrompt } from "./sampling";

type E = { id: string; cweId: string; title: string; description: string };

/** A knowledge base with the given number of entries per CWE, spelled in several ways as real CSVs do. */
function makeEntries(perCwe: number[]): E[] {
  const out: E[] = [];
  perCwe.forEach((count, i) => {
    const num = 20 + i * 7;
    for (let k = 0; k < count; k++) {
      const cweId = k % 2 === 0 ? `CWE-${String(num).padStart(3, "0")}` : `CWE-${num}`;
      out.push({ id: `e-${i}-${k}`, cweId, title: `issue ${i}.${k}`, description: `desc ${i}.${k}` });
    }
  });
  return out;
}
const makePackages = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `p-${i}`, name: `pkg${i}` }));

function cweOf(entries: E[]) {
  const m = new Map(entries.map((e) => [e.id, `CWE-${Number(e.cweId.replace(/\D/g, ""))}`]));
  return (p: TPlannedPrompt) => m.get(p.entryId)!;
}

const SEEDS = [0, 1, 7, 42, 1234, 99991];
const SHAPES: { perCwe: number[]; packages: number; n: number; share: number }[] = [
  { perCwe: [1, 1, 1, 1, 1], packages: 3, n: 3, share: 0.5 }, // n < #CWEs
  { perCwe: [3, 1, 2, 1], packages: 2, n: 4, share: 0 }, // n == #CWEs
  { perCwe: [2, 1, 3, 1, 1, 2], packages: 4, n: 37, share: 0.6 },
  { perCwe: [1, 2], packages: 1, n: 40, share: 0.5 }, // n > #combinations (3 simple + 3 complex)
  { perCwe: [4], packages: 0, n: 9, share: 0 },
  { perCwe: [1, 1, 1], packages: 5, n: 30, share: 1 },
];

describe("planPrompts properties", () => {
  for (const shape of SHAPES) {
    for (const seed of SEEDS) {
      it(`shape ${JSON.stringify(shape)} seed ${seed}`, () => {
        const entries = makeEntries(shape.perCwe);
        const packages = makePackages(shape.packages);
        const plan = planPrompts({ entries, packages, n: shape.n, complexShare: shape.share, seed });
        const cwe = cweOf(entries);
        const nCwes = shape.perCwe.length;

        // Length, positions, kinds.
        expect(plan).toHaveLength(shape.n);
        expect(plan.map((p) => p.position)).toEqual([...Array(shape.n).keys()]);
        expect(plan.filter((p) => p.kind === "COMPLEX")).toHaveLength(Math.round(shape.n * shape.share));
        for (const p of plan) {
          if (p.kind === "SIMPLE") expect(p.packageId).toBeNull();
          else expect(packages.map((x) => x.id)).toContain(p.packageId);
        }

        // Coverage: no CWE repeats before all are covered; every prefix is balanced (max - min count <= 1).
        const firstK = plan.slice(0, Math.min(shape.n, nCwes)).map(cwe);
        expect(new Set(firstK).size).toBe(firstK.length);
        if (shape.n >= nCwes) expect(new Set(plan.slice(0, nCwes).map(cwe)).size).toBe(nCwes);
        const counts = new Map<string, number>();
        for (const p of plan) {
          counts.set(cwe(p), (counts.get(cwe(p)) ?? 0) + 1);
          const values = [...counts.values()];
          if (counts.size === nCwes) expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
          else expect(Math.max(...values)).toBe(1);
        }

        // Sample numbers count earlier uses of the same (entry, package); a combination repeats only when its
        // alternatives are used up (all entries of the CWE for simple prompts, all packages of the entry for complex).
        const seen = new Map<string, number>();
        const simpleEntriesUsed = new Map<string, Set<string>>();
        const packagesUsed = new Map<string, Set<string>>();
        for (const p of plan) {
          const key = `${p.entryId}|${p.packageId}`;
          expect(p.sample).toBe(seen.get(key) ?? 0);
          seen.set(key, (seen.get(key) ?? 0) + 1);
          if (p.kind === "SIMPLE") {
            const used = simpleEntriesUsed.get(cwe(p)) ?? new Set();
            if (p.sample > 0) expect(used.size).toBe(entries.filter((e) => cweOf(entries)({ entryId: e.id } as TPlannedPrompt) === cwe(p)).length);
            used.add(p.entryId);
            simpleEntriesUsed.set(cwe(p), used);
          } else {
            const used = packagesUsed.get(p.entryId) ?? new Set();
            if (p.sample > 0) expect(used.size).toBe(shape.packages);
            used.add(p.packageId!);
            packagesUsed.set(p.entryId, used);
          }
        }

        // Deterministic, and independent of the order entries and packages arrive in.
        const again = planPrompts({ entries: [...entries].reverse(), packages: [...packages].reverse(), n: shape.n, complexShare: shape.share, seed });
        expect(again).toEqual(plan);

        // Idempotency keys are unique within the plan.
        const keys = plan.map((p) => idempotencyKeyFor("job-1", p));
        expect(new Set(keys).size).toBe(keys.length);
      });
    }
  }

  it("different seeds give different orders", () => {
    const entries = makeEntries([1, 1, 1, 1, 1, 1, 1, 1]);
    const orders = new Set(SEEDS.map((seed) => planPrompts({ entries, packages: [], n: 8, complexShare: 0, seed }).map((p) => p.entryId).join(",")));
    expect(orders.size).toBeGreaterThan(1);
  });

  it("seededRandom is reproducible and in [0, 1)", () => {
    const a = seededRandom(5);
    const b = seededRandom(5);
    for (let i = 0; i < 100; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});

describe("planPrompts errors", () => {
  const entries = makeEntries([1, 1]);
  it("rejects n <= 0", () => {
    expect(() => planPrompts({ entries, packages: [], n: 0, complexShare: 0, seed: 1 })).toThrow(/n must be a positive/);
    expect(() => planPrompts({ entries, packages: [], n: -3, complexShare: 0, seed: 1 })).toThrow(SamplingError);
  });
  it("rejects empty entries", () => {
    expect(() => planPrompts({ entries: [], packages: [], n: 5, complexShare: 0, seed: 1 })).toThrow(/no knowledge-base entries/);
  });
  it("rejects complex prompts without packages", () => {
    expect(() => planPrompts({ entries, packages: [], n: 5, complexShare: 0.5, seed: 1 })).toThrow(/no packages are selected/);
  });
  it("rejects a share outside 0..1, duplicate ids and bad CWE ids", () => {
    expect(() => planPrompts({ entries, packages: makePackages(1), n: 5, complexShare: 1.5, seed: 1 })).toThrow(/between 0 and 1/);
    expect(() => planPrompts({ entries: [...entries, entries[0]], packages: [], n: 5, complexShare: 0, seed: 1 })).toThrow(/selected twice/);
    expect(() =>
      planPrompts({ entries: [{ id: "x", cweId: "not-a-cwe", title: "", description: "" }], packages: [], n: 1, complexShare: 0, seed: 1 }),
    ).toThrow(/invalid CWE id/);
  });
});

describe("summarizeCoverage", () => {
  it("counts simple and complex prompts per CWE and shows uncovered CWEs as zero", () => {
    const entries = makeEntries([2, 1, 1, 1]); // CWE-20 (2 entries), CWE-27, CWE-34, CWE-41
    const plan = planPrompts({ entries, packages: makePackages(2), n: 3, complexShare: 1 / 3, seed: 3 });
    const coverage = summarizeCoverage(plan, entries);
    expect(coverage.cwesSelected).toBe(4);
    expect(coverage.cwesCovered).toBe(3);
    expect(coverage.perCwe.map((r) => r.cweId)).toEqual(["CWE-20", "CWE-27", "CWE-34", "CWE-41"]);
    expect(coverage.perCwe.reduce((s, r) => s + r.simple, 0)).toBe(2);
    expect(coverage.perCwe.reduce((s, r) => s + r.complex, 0)).toBe(1);
    expect(coverage.perCwe.filter((r) => r.simple + r.complex === 0)).toHaveLength(1);
  });
  it("refuses a plan naming an entry it was not given", () => {
    expect(() => summarizeCoverage([{ position: 0, kind: "SIMPLE", entryId: "zzz", packageId: null, sample: 0 }], makeEntries([1]))).toThrow(/not among/);
  });
});

describe("idempotencyKeyFor", () => {
  it("is stable per job + entry + package + sample and differs when any of them does", () => {
    const base = { entryId: "e1", packageId: "p1", sample: 0 };
    expect(idempotencyKeyFor("j", base)).toBe(idempotencyKeyFor("j", { ...base }));
    const variants = [
      idempotencyKeyFor("j", base),
      idempotencyKeyFor("k", base),
      idempotencyKeyFor("j", { ...base, entryId: "e2" }),
      idempotencyKeyFor("j", { ...base, packageId: null }),
      idempotencyKeyFor("j", { ...base, sample: 1 }),
    ];
    expect(new Set(variants).size).toBe(variants.length);
  });
});
