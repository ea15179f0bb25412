import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { mulberry32 } from "./random";

// mulberry32 written again in Python with explicit 32-bit arithmetic: an independent check of the bit twiddling.
const PYTHON_MULBERRY32 = `
import json, sys
M = 0xFFFFFFFF
def imul(a, b): return (a * b) & M
def run(seed, n):
    a, out = seed & M, []
    for _ in range(n):
        a = (a + 0x6D2B79F5) & M
        t = a
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & M
        out.append(((t ^ (t >> 14)) & M) / 4294967296)
    return out
print(json.dumps({str(s): run(s, 5) for s in [0, 1, 42, 4294967295]}))
`;

describe("mulberry32", () => {
  it("matches an independent Python implementation", () => {
    const expected = JSON.parse(execFileSync("python3", ["-c", PYTHON_MULBERRY32], { encoding: "utf8" })) as Record<string, number[]>;
    for (const [seed, values] of Object.entries(expected)) {
      const random = mulberry32(Number(seed));
      expect(values.map(() => random())).toEqual(values);
    }
  });

  it("continues the same stream from a stored state", () => {
    const random = mulberry32(7);
    random();
    random();
    const resumed = mulberry32(random.state());
    expect([resumed(), resumed()]).toEqual([random(), random()]);
  });
});
