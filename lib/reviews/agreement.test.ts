import { describe, expect, it } from "vitest";
import { cohenKappa, fleissKappa } from "./agreement";

describe("cohenKappa", () => {
  it("matches a hand-worked example: 50 items, 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> 0.4", () => {
    // By hand: P_o = 35/50 = 0.7; A says yes 25/50 = 0.5, B says yes 30/50 = 0.6;
    // P_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    const ratings: ["yes" | "no", "yes" | "no"][] = [
      ...Array.from({ length: 20 }, () => ["yes", "yes"] as ["yes", "yes"]),
      ...Array.from({ length: 5 }, () => ["yes", "no"] as ["yes", "no"]),
      ...Array.from({ length: 10 }, () => ["no", "yes"] as ["no", "yes"]),
      ...Array.from({ length: 15 }, () => ["no", "no"] as ["no", "no"]),
    ];
    const result = cohenKappa(ratings)!;
    expect(result.observed).toBeCloseTo(0.7, 12);
    expect(result.expected).toBeCloseTo(0.5, 12);
    expect(result.kappa).toBeCloseTo(0.4, 12);
  });

  it("is 1 for perfect agreement over two categories, negative for systematic disagreement", () => {
    expect(cohenKappa([["a", "a"], ["b", "b"], ["a", "a"]])!.kappa).toBeCloseTo(1, 12);
    // By hand: P_o = 0, P_e = 0.5*0.5 + 0.5*0.5 = 0.5, kappa = -1.
    expect(cohenKappa([["a", "b"], ["b", "a"]])!.kappa).toBeCloseTo(-1, 12);
  });

  it("returns null kappa (degenerate) when all ratings are one category, and null with no items", () => {
    expect(cohenKappa([["a", "a"], ["a", "a"]])).toEqual({ kappa: null, observed: 1, expected: 1, items: 2, degenerate: true });
    expect(cohenKappa([])).toBeNull();
  });
});

describe("fleissKappa", () => {
  it("matches Fleiss' worked example (Wikipedia): 10 items, 14 raters, 5 categories -> 0.210", () => {
    const matrix = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    const result = fleissKappa(matrix)!;
    expect(result.observed).toBeCloseTo(0.378, 3);
    expect(result.expected).toBeCloseTo(0.213, 3);
    expect(result.kappa).toBeCloseTo(0.21, 3);
    expect(result.items).toBe(10);
  });

  it("equals Cohen-style perfect agreement, handles degenerate and too-few-rater cases", () => {
    expect(fleissKappa([[3, 0], [0, 3], [3, 0]])!.kappa).toBeCloseTo(1, 12);
    expect(fleissKappa([[3, 0], [3, 0]])).toMatchObject({ kappa: null, degenerate: true });
    expect(fleissKappa([[1, 0], [0, 1]])).toBeNull(); // each item has a single rater
    expect(fleissKappa([])).toBeNull();
    expect(() => fleissKappa([[1.5, 1]])).toThrow(/non-negative integers/);
  });

  it("accepts items with different numbers of raters (2 and 3) by the generalised formula", () => {
    // By hand: P_1 = (2*1)/(2*1) = 1, P_2 = (2*1 + 0)/(3*2) = 1/3, P-bar = 2/3;
    // category totals 4 and 1 over 5 ratings: P_e = 0.64 + 0.04 = 0.68; kappa = (2/3 - 0.68)/0.32 = -0.041666...
    const result = fleissKappa([[2, 0], [2, 1]])!;
    expect(result.observed).toBeCloseTo(2 / 3, 12);
    expect(result.expected).toBeCloseTo(0.68, 12);
    expect(result.kappa).toBeCloseTo((2 / 3 - 0.68) / 0.32, 12);
  });
});
