// Cancel and resume. Cancel sets the run's flag, which the training worker polls (it stops within one step); a run
// still waiting in the queue, or one whose worker died, is cancelled at once. Resume re-queues a failed, cancelled
// or orphaned run; the job picks up from its latest checkpoint.
import type { Db } from "../db/client";
import { enqueueTrainJob, scheduleTrainWatchdog } from "./queue";
import { TrainingError } from "./errors";
import { isRunLocked } from "./run-lock";

async function loadRun(db: Db, runId: string) {
  const run = await db.run.findUnique({ where: { id: runId }, select: { id: true, status: true, name: true } });
  if (!run) throw new TrainingError(`no run with id ${runId}`, 404);
  return run;
}

export async function cancelRun(db: Db, runId: string): Promise<{ status: string; message: string }> {
  const run = await loadRun(db, runId);
  if (run.status === "SUCCEEDED" || run.status === "FAILED" || run.status === "CANCELLED") {
    throw new TrainingError(`run "${run.name}" has already ${run.status.toLowerCase()}`, 409);
  }
  const held = await isRunLocked(db, run.id);
  if (!held) {
    // Nobody is training it: queued (the job will see CANCELLED and skip) or orphaned by a dead worker.
    await db.run.update({ where: { id: run.id }, data: { cancelRequested: true, status: "CANCELLED", finishedAt: new Date() } });
    await db.runLog.create({ data: { runId: run.id, level: "info", message: "cancelled before a worker picked it up" } });
    return { status: "CANCELLED", message: "cancelled" };
  }
  await db.run.update({ where: { id: run.id }, data: { cancelRequested: true } });
  await db.runLog.create({ data: { runId: run.id, level: "info", message: "cancel requested; the worker stops after the current step" } });
  return { status: run.status, message: "cancel requested; the run stops after its current step" };
}

export async function resumeRun(db: Db, runId: string, createdById: string | null): Promise<{ status: string; jobId: string; fromStep: number | null }> {
  const run = await loadRun(db, runId);
  if (run.status === "SUCCEEDED") throw new TrainingError(`run "${run.name}" has already succeeded`, 409);
  if (await isRunLocked(db, run.id)) throw new TrainingError(`run "${run.name}" is being trained by a live worker`, 409);
  const latest = await db.checkpoint.findFirst({ where: { runId: run.id }, orderBy: { step: "desc" }, select: { step: true } });
  await db.run.update({ where: { id: run.id }, data: { status: "QUEUED", cancelRequested: false, error: null, finishedAt: null } });
  await db.runLog.create({ data: { runId: run.id, level: "info", message: latest ? `resume requested: continues from the checkpoint at step ${latest.step}` : "resume requested: no checkpoint yet, starts over" } });
  const jobId = await enqueueTrainJob(db, run.id, createdById);
  // A finished run's watchdog chain has ended; an orphaned one's is still checking it.
  if (run.status === "FAILED" || run.status === "CANCELLED") await scheduleTrainWatchdog(db, run.id);
  return { status: "QUEUED", jobId, fromStep: latest?.step ?? null };
}
