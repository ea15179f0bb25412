// Analyzer calls of a distillation run, batched across its parallel tasks: Bandit (and CodeQL) start one process per
// batch, so analyzing the pairs of several tasks together is much cheaper than one process per pair. Each task asks for
// its pair and waits; a batch goes out when enough pairs wait or shortly after the first one arrived.
import { analyzePairs, type AnalysisTools } from "../../analysis/analyze-pairs";
import type { Db } from "../../db/client";

export type TAnalysisOutcome = { secureFlagged: boolean };

type Waiting = { pairId: string; resolve: (outcome: TAnalysisOutcome) => void; reject: (error: unknown) => void };

export class AnalysisBatcher {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly tools: AnalysisTools,
    private readonly options: { maxBatch: number; maxWaitMs: number },
  ) {}

  /** Analyzes the pair's current revision (findings, masks, parse errors) and says whether its secure code is flagged. */
  analyze(pairId: string): Promise<TAnalysisOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ pairId, resolve, reject });
      if (this.waiting.length >= this.options.maxBatch) this.flush();
      else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.options.maxWaitMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    // One batch at a time: analyzers already use every core for a batch.
    this.running = this.running.then(() => this.runBatch(batch));
  }

  private async runBatch(batch: Waiting[]): Promise<void> {
    try {
      const ids = [...new Set(batch.map((item) => item.pairId))];
      await analyzePairs(this.db, ids, this.tools);
      const pairs = await this.db.pair.findMany({ where: { id: { in: ids } }, select: { id: true, secureFlagged: true } });
      const flagged = new Map(pairs.map((pair) => [pair.id, pair.secureFlagged === true]));
      for (const item of batch) item.resolve({ secureFlagged: flagged.get(item.pairId) ?? false });
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }

  /** Waits for every batch handed out so far. */
  async drain(): Promise<void> {
    this.flush();
    await this.running;
  }
}
