import { describe, expect, it } from "vitest";
import {
  BudgetGuard,
  costUsd,
  DEFAULT_PRICES,
  estimateChatTokens,
  estimatePromptCost,
  loadO200kCounter,
  priceTable,
  projectCost,
  resolvePrice,
  UnknownModelPriceError,
  wouldExceedBudget,
} from "./pricing";

describe("pricing", () => {
  it("computes cost from per-million prices (hand-worked)", () => {
    // 1,200 prompt tokens at $2.50/M = $0.003; 800 completion tokens at $10/M = $0.008.
    expect(costUsd(DEFAULT_PRICES, "gpt-4o-2024-08-06", { promptTokens: 1200, completionTokens: 800 })).toBe(0.011);
    // gpt-4o-mini: 1M in at 0.15 + 2M out at 0.60 = 1.35
    expect(costUsd(DEFAULT_PRICES, "gpt-4o-mini", { promptTokens: 1_000_000, completionTokens: 2_000_000 })).toBeCloseTo(1.35, 9);
    // rounded to micro-dollars: 1 token at $2.50/M = 0.0000025 -> 0.000003 (half up)
    expect(costUsd(DEFAULT_PRICES, "gpt-4o", { promptTokens: 1, completionTokens: 0 })).toBe(0.000003);
  });

  it("the paper's order of magnitude: 10k instances of ~300 prompt + ~900 answer tokens on gpt-4o is about 100 USD", () => {
    const usd = projectCost(DEFAULT_PRICES, "gpt-4o-2024-08-06", { requests: 10_000, avgPromptTokens: 300, avgCompletionTokens: 900 });
    expect(usd).toBeCloseTo(10_000 * (300 * 2.5 + 900 * 10) / 1e6, 6);
    expect(usd).toBeGreaterThan(50);
    expect(usd).toBeLessThan(150);
  });

  it("resolves dated snapshots to their family, but listed snapshots keep their own price", () => {
    expect(resolvePrice(DEFAULT_PRICES, "gpt-4o-mini-2024-07-18")).toEqual(DEFAULT_PRICES["gpt-4o-mini"]);
    expect(resolvePrice(DEFAULT_PRICES, "gpt-4o-2024-05-13").inputPerMTok).toBe(5);
  });

  it("refuses unknown models with a clear error; explicit zero prices work", () => {
    expect(() => costUsd(DEFAULT_PRICES, "llama-3-70b", { promptTokens: 1, completionTokens: 1 })).toThrow(UnknownModelPriceError);
    expect(() => costUsd(DEFAULT_PRICES, "llama-3-70b", { promptTokens: 1, completionTokens: 1 })).toThrow(/No price for model "llama-3-70b"/);
    const table = priceTable({ "llama-3-70b": { inputPerMTok: 0, outputPerMTok: 0 } });
    expect(costUsd(table, "llama-3-70b", { promptTokens: 5000, completionTokens: 5000 })).toBe(0);
    expect(() => priceTable({ x: { inputPerMTok: -1, outputPerMTok: 0 } })).toThrow();
  });

  it("estimates the most a request can cost: prompt tokens plus maxTokens of output", () => {
    expect(estimatePromptCost(DEFAULT_PRICES, "gpt-4o", { promptTokens: 400, maxTokens: 2000 })).toBe(0.021);
  });

  it("counts chat tokens with per-message framing", async () => {
    expect(estimateChatTokens([{ role: "user", content: "abcd" }], (t) => t.length)).toBe(3 + 3 + 4 + 4);
    const count = await loadO200kCounter();
    expect(count("hello world")).toBe(2);
    expect(estimateChatTokens([{ role: "user", content: "hello world" }], count)).toBe(3 + 3 + 2 + 1);
  });
});

describe("budget", () => {
  it("stops before the cap, counting what is reserved in flight", () => {
    expect(wouldExceedBudget(9.99, 0.01, 10)).toBe(false);
    expect(wouldExceedBudget(9.99, 0.010001, 10)).toBe(true);
    expect(wouldExceedBudget(0.1 + 0.2, 9.7, 10)).toBe(false); // float drift does not trip it
    expect(wouldExceedBudget(1000, 1000, null)).toBe(false);
  });

  it("BudgetGuard reserves the max cost and settles with the actual one", () => {
    const g = new BudgetGuard(1, 0.5);
    const a = g.tryReserve(0.3)!;
    expect(a).not.toBeNull();
    expect(g.tryReserve(0.3)).toBeNull(); // 0.5 + 0.3 + 0.3 > 1
    const b = g.tryReserve(0.2)!;
    expect(g.reserved).toBe(0.5);
    g.settle(a, 0.05);
    expect(g.spent).toBe(0.55);
    expect(g.tryReserve(0.25)).not.toBeNull(); // 0.55 + 0.2 + 0.25 = 1.0, allowed
    g.settle(b, 0);
    g.settle(b, 99); // settling twice is ignored
    expect(g.spent).toBe(0.55);
  });
});
