// Putting training work on the queues: one `train.run` job per attempt, and the watchdog chain that re-queues a
// run whose worker died (watchdog.ts).
import type { Db } from "../db/client";
import { enqueueJob } from "../jobs/enqueue";

export const WATCHDOG_INTERVAL_SECONDS = 60;

/**
 * A failed run is not retried by the queue (training errors repeat; resuming is an explicit Resume or the
 * watchdog's job), so the job's retry limit is 0.
 */
export function enqueueTrainJob(db: Db, runId: string, createdById: string | null): Promise<string> {
  return enqueueJob(db, "train.run", { runId }, { createdById, retry: { limit: 0, delaySeconds: 0 } });
}

export function scheduleTrainWatchdog(db: Db, runId: string, delaySeconds = WATCHDOG_INTERVAL_SECONDS): Promise<string> {
  return enqueueJob(db, "train.watchdog", { runId }, { startAfterSeconds: delaySeconds });
}
