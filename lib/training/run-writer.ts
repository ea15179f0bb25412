// Writes what a training run reports into PostgreSQL: metric points in batches (idempotent on the (run, name, step)
// key, so a resumed run that recomputes steps after its last checkpoint adds no duplicates), log lines and
// checkpoint rows. Every write goes through one promise chain, so rows land in the order the trainer reported them:
// a checkpoint row is never visible before the metrics of the steps it covers.
import type { Db } from "../db/client";
import { ZMetricPoint, type TMetricPoint } from "../../trainer/src/metrics";

export type TCheckpointReport = { step: number; path: string; isFinal: boolean; sizeBytes?: number | bigint | null };

export class RunWriter {
  private buffer: TMetricPoint[] = [];
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private failure: Error | null = null;
  /** Highest step reported so far (for progress). */
  lastStep = 0;

  constructor(
    private readonly db: Db,
    private readonly runId: string,
    private readonly options: { flushEveryMs?: number; maxBuffer?: number } = {},
  ) {
    // Flush on a timer too, so the experiment page sees points within about a second even between log intervals.
    this.timer = setInterval(() => void this.flush(), options.flushEveryMs ?? 1000);
    this.timer.unref();
  }

  private enqueue(work: () => Promise<unknown>): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (this.failure) return;
      try {
        await work();
      } catch (error) {
        this.failure = error as Error;
      }
    });
    return this.chain;
  }

  metrics(points: readonly unknown[]): void {
    for (const raw of points) {
      // The trainer's points are checked at the boundary: a NaN loss or an unknown name is a bug to surface, not store.
      const parsed = ZMetricPoint.safeParse(raw);
      if (!parsed.success) {
        this.log("warn", `dropped a metric point ${JSON.stringify(raw)}: ${parsed.error.issues.map((issue) => issue.message).join("; ")}`);
        continue;
      }
      this.buffer.push(parsed.data);
      this.lastStep = Math.max(this.lastStep, parsed.data.step);
    }
    if (this.buffer.length >= (this.options.maxBuffer ?? 500)) void this.flush();
  }

  flush(): Promise<void> {
    if (this.buffer.length === 0) return this.chain;
    const batch = this.buffer;
    this.buffer = [];
    return this.enqueue(() =>
      this.db.metricPoint.createMany({ data: batch.map((point) => ({ runId: this.runId, name: point.name, step: point.step, value: point.value })), skipDuplicates: true }),
    );
  }

  log(level: string, message: string): Promise<void> {
    void this.flush();
    return this.enqueue(() => this.db.runLog.create({ data: { runId: this.runId, level, message: message.slice(0, 10_000) } }));
  }

  checkpoint(report: TCheckpointReport): Promise<void> {
    void this.flush();
    const size = report.sizeBytes === undefined || report.sizeBytes === null ? null : BigInt(report.sizeBytes);
    return this.enqueue(async () => {
      await this.db.checkpoint.upsert({
        where: { runId_step: { runId: this.runId, step: report.step } },
        create: { runId: this.runId, step: report.step, path: report.path, isFinal: report.isFinal, sizeBytes: size },
        update: { path: report.path, isFinal: report.isFinal, sizeBytes: size },
      });
      await this.db.runLog.create({ data: { runId: this.runId, level: "info", message: `checkpoint at step ${report.step}${report.isFinal ? " (final)" : ""}` } });
    });
  }

  /** Flushes everything and stops the timer; throws the first write error, if any. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
    await this.chain;
    if (this.failure) throw this.failure;
  }
}
