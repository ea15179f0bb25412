import { describe, expect, it } from "vitest";
import { emaSmooth } from "./smoothing";

describe("emaSmooth (W&B-style debiased EMA)", () => {
  it("matches hand-worked values", () => {
    // w = 0.5, y = 4, 0, 2:
    //   t1: last = 2, norm = 0.5 -> 4
    //   t2: last = 1, norm = 0.75 -> 4/3
    //   t3: last = 0.5 + 1 = 1.5, norm = 0.875 -> 12/7
    const out = emaSmooth([4, 0, 2], 0.5);
    expect(out[0]).toBeCloseTo(4, 12);
    expect(out[1]).toBeCloseTo(4 / 3, 12);
    expect(out[2]).toBeCloseTo(12 / 7, 12);
  });
  it("weight 0 is the identity and a constant curve stays constant", () => {
    expect(emaSmooth([3, -1, 7], 0)).toEqual([3, -1, 7]);
    for (const value of emaSmooth([5, 5, 5, 5], 0.9)) expect(value).toBeCloseTo(5, 12);
  });
  it("refuses weights outside [0, 1)", () => {
    expect(() => emaSmooth([1], 1)).toThrow(/smoothing weight/);
    expect(() => emaSmooth([1], -0.1)).toThrow(/smoothing weight/);
  });
});
