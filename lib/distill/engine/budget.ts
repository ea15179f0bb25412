// Cost accounting and the budget cap. Every request reserves its worst-case cost (the prompt's upper-bound token count
// plus maxTokens of completion) before it is sent; a request is refused when what is already spent plus what
// in-flight requests may still cost plus its own worst case would pass the cap. So the cap holds even with many
// requests in flight at once, at the price of stopping a little before the last cent.
import type { TPrice } from "./config";

export function costOf(price: TPrice, promptTokens: number, completionTokens: number): number {
  return (promptTokens * price.inputUsdPerMTok + completionTokens * price.outputUsdPerMTok) / 1_000_000;
}

/**
 * An upper bound on the prompt tokens of a chat request: byte-level BPE tokenizers never emit more tokens than there
 * are UTF-8 bytes, plus a few tokens of chat framing per message.
 */
export function promptTokenUpperBound(messages: readonly { content: string }[]): number {
  return messages.reduce((sum, message) => sum + Buffer.byteLength(message.content, "utf8") + 8, 0) + 8;
}

export function worstCaseCost(price: TPrice, messages: readonly { content: string }[], maxTokens: number): number {
  return costOf(price, promptTokenUpperBound(messages), maxTokens);
}

export class BudgetExceededError extends Error {
  constructor(
    readonly spentUsd: number,
    readonly reservedUsd: number,
    readonly requestUsd: number,
    readonly budgetUsd: number,
  ) {
    super(
      `Stopped at the budget cap: spent $${spentUsd.toFixed(4)} of $${budgetUsd.toFixed(4)}; ` +
        `$${reservedUsd.toFixed(4)} reserved by requests in flight and the next request could cost up to $${requestUsd.toFixed(4)}`,
    );
    this.name = "BudgetExceededError";
  }
}

/**
 * In-memory spend and reservations of one runner. A job has one runner at a time (the lease guarantees it), so the
 * runner starts from the stored spend and is the only one adding to it; checks and reservations are synchronous, so
 * concurrent tasks can never both pass the check on a stale total.
 */
export class BudgetGuard {
  private reserved = 0;

  constructor(
    private readonly budgetUsd: number | null,
    private spent: number,
  ) {}

  /** Reserves `worstCaseUsd` or throws BudgetExceededError. Call `settle(actualCost)` once the cost is stored. */
  reserve(worstCaseUsd: number): { settle: (actualUsd: number) => void } {
    if (this.budgetUsd !== null && this.spent + this.reserved + worstCaseUsd > this.budgetUsd + 1e-12) {
      throw new BudgetExceededError(this.spent, this.reserved, worstCaseUsd, this.budgetUsd);
    }
    this.reserved += worstCaseUsd;
    let settled = false;
    return {
      settle: (actualUsd: number) => {
        if (settled) return;
        settled = true;
        this.reserved -= worstCaseUsd;
        this.spent += actualUsd;
      },
    };
  }

  get spentUsd(): number {
    return this.spent;
  }

  get reservedUsd(): number {
    return this.reserved;
  }
}
