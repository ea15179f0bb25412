// The budget rule and the per-round flagged share, on hand-worked numbers.
import { describe, expect, it } from "vitest";
import { BudgetExceededError, BudgetGuard, costOf, promptTokenUpperBound, worstCaseCost } from "./budget";
import { flaggedByRound } from "./progress";

const price = { inputUsdPerMTok: 2.5, outputUsdPerMTok: 10 };

describe("budget", () => {
  it("costs tokens at the price per million", () => {
    expect(costOf(price, 1000, 500)).toBeCloseTo(0.0025 + 0.005, 12);
    // "héllo" is 6 UTF-8 bytes: 6 + 8 per message + 8 framing.
    expect(promptTokenUpperBound([{ content: "héllo" }])).toBe(22);
    expect(worstCaseCost(price, [{ content: "héllo" }], 100)).toBeCloseTo((22 * 2.5 + 100 * 10) / 1e6, 12);
  });

  it("refuses a request whose worst case would pass the cap, counting requests in flight", () => {
    const guard = new BudgetGuard(1.0, 0.5);
    const a = guard.reserve(0.3); // 0.5 spent + 0.3 reserved
    expect(() => guard.reserve(0.25)).toThrow(BudgetExceededError); // 0.5 + 0.3 + 0.25 = 1.05 > 1
    const b = guard.reserve(0.2); // exactly 1.0: allowed
    a.settle(0.1); // actual cost far below the worst case frees the rest
    b.settle(0.2);
    expect(guard.spentUsd).toBeCloseTo(0.8, 12);
    expect(guard.reservedUsd).toBeCloseTo(0, 12);
    expect(() => guard.reserve(0.21)).toThrow(/Stopped at the budget cap: spent \$0\.8000 of \$1\.0000/);
    expect(new BudgetGuard(null, 1e9).reserve(1e9)).toBeDefined(); // no cap
  });
});

describe("flaggedByRound", () => {
  it("takes each pair's latest round <= k; unrefined pairs keep their round-0 state", () => {
    const rows = [
      { pairId: "a", round: 0, flagged: true, analyzed: true },
      { pairId: "a", round: 1, flagged: false, analyzed: true },
      { pairId: "b", round: 0, flagged: false, analyzed: true },
      { pairId: "c", round: 0, flagged: true, analyzed: true },
      { pairId: "c", round: 1, flagged: true, analyzed: true },
      { pairId: "c", round: 2, flagged: false, analyzed: false }, // not analyzed yet: not counted
      { pairId: "d", round: 0, flagged: true, analyzed: true }, // refinement failed: stays flagged
    ];
    expect(flaggedByRound(rows, 2)).toEqual([
      { round: 0, analyzed: 4, flagged: 3, share: 0.75 },
      { round: 1, analyzed: 4, flagged: 2, share: 0.5 },
      { round: 2, analyzed: 4, flagged: 2, share: 0.5 },
    ]);
    expect(flaggedByRound([], 1)).toEqual([
      { round: 0, analyzed: 0, flagged: 0, share: null },
      { round: 1, analyzed: 0, flagged: 0, share: null },
    ]);
  });
});
