// Kill-and-resume without a person: while a run is not finished, a small `train.watchdog` job on the maintenance
// queue checks it every minute. A run that says RUNNING while no live process holds its run lock lost its worker
// (killed, crashed, machine gone); the watchdog puts it back on the train queue, and the next worker with the
// trainer continues it from its latest checkpoint. The chain ends when the run finishes.
import type { Db } from "../db/client";
import { enqueueTrainJob, scheduleTrainWatchdog } from "./queue";
import { isRunLocked } from "./run-lock";

export async function runTrainWatchdog(db: Db, payload: { runId: string }, options: { reschedule?: boolean } = {}): Promise<{ status: string; requeued: boolean }> {
  const run = await db.run.findUnique({ where: { id: payload.runId }, select: { id: true, status: true } });
  if (!run || run.status === "SUCCEEDED" || run.status === "FAILED" || run.status === "CANCELLED") return { status: run?.status ?? "GONE", requeued: false };
  let requeued = false;
  if (run.status === "RUNNING" && !(await isRunLocked(db, run.id))) {
    // Only the watchdog that wins this update re-queues, so two overlapping checks cannot queue the run twice.
    const claimed = await db.run.updateMany({ where: { id: run.id, status: "RUNNING" }, data: { status: "QUEUED" } });
    if (claimed.count === 1) {
      const latest = await db.checkpoint.findFirst({ where: { runId: run.id }, orderBy: { step: "desc" }, select: { step: true } });
      await db.runLog.create({ data: { runId: run.id, level: "warn", message: `the worker training this run is gone; re-queued to resume ${latest ? `from the checkpoint at step ${latest.step}` : "from the start"}` } });
      await enqueueTrainJob(db, run.id, null);
      requeued = true;
    }
  }
  if (options.reschedule ?? true) await scheduleTrainWatchdog(db, run.id);
  return { status: requeued ? "QUEUED" : run.status, requeued };
}
