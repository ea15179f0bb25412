// What LLM calls cost, and the budget rule that stops a job before it goes over its cap.
//
// Prices are USD per 1 million tokens, input (prompt) and output (completion), standard tier (not the Batch API, which
// OpenAI bills at half these prices). DEFAULT_PRICES are OpenAI's published list prices as known on 2025-06-01; prices
// change, so the table is configurable (a job stores the table it used) and these are only defaults.
//
// Unknown models: costUsd throws UnknownModelPriceError rather than counting zero, because a zero price would silently
// disable the budget cap. A self-hosted model that really costs nothing is priced explicitly: { input: 0, output: 0 }.
// Lookup: the exact model id, then the id without a trailing date snapshot ("gpt-4o-mini-2024-07-18" -> "gpt-4o-mini").
// Snapshots whose price differs from their family (gpt-4o-2024-05-13) are listed explicitly.
import { z } from "zod";

export const ZModelPrice = z.object({
  /** USD per 1M prompt tokens. */
  inputPerMTok: z.number().finite().nonnegative(),
  /** USD per 1M completion tokens. */
  outputPerMTok: z.number().finite().nonnegative(),
});
export type TModelPrice = z.infer<typeof ZModelPrice>;

export const ZPriceTable = z.record(z.string().min(1), ZModelPrice);
export type TPriceTable = z.infer<typeof ZPriceTable>;

/** OpenAI list prices (USD / 1M tokens, standard tier) as of 2025-06-01. */
export const DEFAULT_PRICES: TPriceTable = {
  "gpt-4o-2024-08-06": { inputPerMTok: 2.5, outputPerMTok: 10 },
  "gpt-4o-2024-11-20": { inputPerMTok: 2.5, outputPerMTok: 10 },
  "gpt-4o-2024-05-13": { inputPerMTok: 5, outputPerMTok: 15 },
  "gpt-4o": { inputPerMTok: 2.5, outputPerMTok: 10 },
  "gpt-4o-mini": { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  "gpt-4.1": { inputPerMTok: 2, outputPerMTok: 8 },
  "gpt-4.1-mini": { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  "gpt-4.1-nano": { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  "gpt-4-turbo": { inputPerMTok: 10, outputPerMTok: 30 },
  "gpt-3.5-turbo": { inputPerMTok: 0.5, outputPerMTok: 1.5 },
  "o3-mini": { inputPerMTok: 1.1, outputPerMTok: 4.4 },
  "o4-mini": { inputPerMTok: 1.1, outputPerMTok: 4.4 },
};

/** The paper's model (method.md section 2). */
export const PAPER_MODEL = "gpt-4o-2024-08-06";

export class UnknownModelPriceError extends Error {
  constructor(readonly model: string) {
    super(`No price for model "${model}": add it to the price table (USD per 1M input and output tokens; 0 and 0 for a free self-hosted model)`);
    this.name = "UnknownModelPriceError";
  }
}

/** Defaults with overrides on top (an override replaces a model's whole entry). */
export function priceTable(overrides: TPriceTable = {}): TPriceTable {
  return { ...DEFAULT_PRICES, ...ZPriceTable.parse(overrides) };
}

export function findPrice(table: TPriceTable, model: string): TModelPrice | null {
  if (Object.hasOwn(table, model)) return table[model];
  const undated = model.replace(/-\d{4}-\d{2}-\d{2}$/, "");
  if (undated !== model && Object.hasOwn(table, undated)) return table[undated];
  return null;
}

export function resolvePrice(table: TPriceTable, model: string): TModelPrice {
  const price = findPrice(table, model);
  if (!price) throw new UnknownModelPriceError(model);
  return price;
}

/** Rounded to micro-dollars, the precision llm_attempts.costUsd stores. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}

export type TUsage = { promptTokens: number; completionTokens: number };

export function costUsd(table: TPriceTable, model: string, usage: TUsage): number {
  const p = resolvePrice(table, model);
  return roundUsd((usage.promptTokens * p.inputPerMTok + usage.completionTokens * p.outputPerMTok) / 1e6);
}

/**
 * The most one request can cost: its prompt tokens plus maxTokens of output (the completion cannot be longer).
 * This is what the budget reserves while a request is in flight.
 */
export function estimatePromptCost(table: TPriceTable, model: string, request: { promptTokens: number; maxTokens: number }): number {
  return costUsd(table, model, { promptTokens: request.promptTokens, completionTokens: request.maxTokens });
}

/** Projection for `requests` more calls at the given average token counts (for "projected spend" displays). */
export function projectCost(table: TPriceTable, model: string, p: { requests: number; avgPromptTokens: number; avgCompletionTokens: number }): number {
  return costUsd(table, model, { promptTokens: p.requests * p.avgPromptTokens, completionTokens: p.requests * p.avgCompletionTokens });
}

/**
 * Token count of a chat request as OpenAI bills it for gpt-4o-family models: each message's content tokens plus 3
 * tokens of framing per message, plus 3 priming the reply. `countTokens` is the model's tokenizer (o200k_base for
 * gpt-4o; see loadO200kCounter), passed in so this module stays light enough for the browser.
 */
export function estimateChatTokens(messages: Array<{ role: string; content: string }>, countTokens: (text: string) => number): number {
  let n = 3;
  for (const m of messages) n += 3 + countTokens(m.content) + countTokens(m.role);
  return n;
}

/** gpt-4o's tokenizer (o200k_base), loaded on first use. */
export async function loadO200kCounter(): Promise<(text: string) => number> {
  const mod = await import("gpt-tokenizer/encoding/o200k_base");
  return (text: string) => mod.countTokens(text);
}

/**
 * The budget rule: a request may be sent only if what is already spent, plus the reserved maximum cost of every
 * request in flight, plus this request's maximum cost (all in `reservedEstimate`), stays within the budget. So the cap
 * cannot be exceeded even if every in-flight request returns maxTokens. Compared in micro-dollars to avoid float
 * drift; a null budget means no cap.
 */
export function wouldExceedBudget(spent: number, reservedEstimate: number, budget: number | null | undefined): boolean {
  if (budget === null || budget === undefined) return false;
  return Math.round((spent + reservedEstimate) * 1e6) > Math.round(budget * 1e6);
}

export type TBudgetReservation = { id: number; amount: number };

/**
 * An in-memory ledger for one running job: reserve the maximum cost before sending, settle with the actual cost after.
 * Concurrent callers share it, so the rule above holds across parallel requests in one process.
 */
export class BudgetGuard {
  private spentUsd: number;
  private readonly reservations = new Map<number, number>();
  private nextId = 1;
  constructor(
    readonly budgetUsd: number | null,
    spentSoFar = 0,
  ) {
    this.spentUsd = spentSoFar;
  }
  get spent(): number {
    return roundUsd(this.spentUsd);
  }
  get reserved(): number {
    let sum = 0;
    for (const v of this.reservations.values()) sum += v;
    return roundUsd(sum);
  }
  /** A reservation, or null when sending would risk passing the budget. */
  tryReserve(maxCostUsd: number): TBudgetReservation | null {
    if (wouldExceedBudget(this.spentUsd, this.reserved + maxCostUsd, this.budgetUsd)) return null;
    const r = { id: this.nextId++, amount: maxCostUsd };
    this.reservations.set(r.id, maxCostUsd);
    return r;
  }
  /** Replace the reservation by what the call actually cost (0 when it failed before being billed). */
  settle(reservation: TBudgetReservation, actualCostUsd: number): void {
    if (!this.reservations.delete(reservation.id)) return;
    this.spentUsd += actualCostUsd;
  }
}
