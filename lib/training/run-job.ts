// The `train.run` job: trains one run on this worker. It takes the run's lock (run-lock.ts), resumes from the run's
// latest checkpoint when there is one (a killed worker, a Resume), loads the version's pinned pairs, and hands them
// to the trainer with hooks that stream metrics, logs and checkpoints into PostgreSQL. Cancellation is the run's
// cancelRequested flag, read every half second and answered by the trainer within one step.
import fs from "node:fs";
import type { JobContext } from "../jobs/handlers";
import { computeTokenMasks } from "../masks/token-masks";
import { loadTokenizer } from "../tokenizers/registry";
import { bestAvailableBackend } from "../../trainer/src/backends";
import { ZTrainConfig } from "../../trainer/src/config";
import { runTraining } from "../../trainer/src/index";
import type { TTrainRunPayload } from "./job-payload";
import { runDir } from "./paths";
import { loadVersionRecords } from "./records";
import { tryLockRun } from "./run-lock";
import { RunWriter } from "./run-writer";

export type TTrainJobResult = { runId: string; status: string; steps?: number; backend?: string; skipped?: string };

export async function runTrainJob(payload: TTrainRunPayload, context: Pick<JobContext, "db" | "reportProgress">): Promise<TTrainJobResult> {
  const { db } = context;
  const run = await db.run.findUnique({
    where: { id: payload.runId },
    include: { baseModel: true, parentRun: { include: { checkpoints: { where: { isFinal: true }, orderBy: { step: "desc" }, take: 1 } } } },
  });
  if (!run) throw new Error(`no run with id ${payload.runId}`);
  if (run.status === "SUCCEEDED" || run.status === "CANCELLED") return { runId: run.id, status: run.status, skipped: "run already finished" };
  if (run.cancelRequested) {
    await db.run.update({ where: { id: run.id }, data: { status: "CANCELLED", finishedAt: new Date() } });
    return { runId: run.id, status: "CANCELLED", skipped: "cancelled before it started" };
  }

  const lock = await tryLockRun(run.id);
  // Another live worker trains this run (a duplicate job, or an expired job retried while the first still runs).
  if (!lock) return { runId: run.id, status: run.status, skipped: "another worker is training this run" };

  const writer = new RunWriter(db, run.id);
  let cancelRequested = false;
  const cancelPoll = setInterval(() => {
    void db.run
      .findUnique({ where: { id: run.id }, select: { cancelRequested: true } })
      .then((row) => {
        cancelRequested = row?.cancelRequested ?? true;
      })
      .catch(() => {});
  }, 500);
  cancelPoll.unref();

  try {
    if (!run.baseModel) throw new Error("the run has no base model");
    if (!run.datasetVersionId) throw new Error("the run has no dataset version");
    const config = ZTrainConfig.parse(run.config);
    const latest = await db.checkpoint.findFirst({ where: { runId: run.id }, orderBy: { step: "desc" } });
    if (latest?.isFinal) {
      // The worker died between writing the final checkpoint and recording success: the run is done.
      await writer.log("info", `final checkpoint at step ${latest.step} found; marking the run succeeded`);
      await writer.close();
      await db.run.update({ where: { id: run.id }, data: { status: "SUCCEEDED", error: null, finishedAt: new Date() } });
      return { runId: run.id, status: "SUCCEEDED", steps: latest.step };
    }
    const resumeFrom = latest && fs.existsSync(latest.path) ? latest : null;
    const parentAdapterDir = run.parentRun ? run.parentRun.checkpoints[0]?.path : undefined;
    if (run.parentRun && !parentAdapterDir) throw new Error(`parent run ${run.parentRun.name} has no final checkpoint`);

    await db.run.update({ where: { id: run.id }, data: { status: "RUNNING", error: null, backend: safeBackend(), startedAt: run.startedAt ?? new Date(), finishedAt: null } });
    await writer.log("info", resumeFrom ? `resuming from the checkpoint at step ${resumeFrom.step}` : `starting: ${config.method} (${config.preset}) on ${run.baseModel.name}`);

    const records = await loadVersionRecords(db, run.datasetVersionId);
    const train = records.filter((record) => record.split === "train");
    const val = records.filter((record) => record.split === "val");
    const tokenizer = await loadTokenizer(run.baseModel.tokenizerId);
    await writer.log("info", `${train.length} training and ${val.length} validation pairs; tokenizer ${run.baseModel.tokenizerId}`);

    let lastProgress = 0;
    const result = await runTraining({
      runDir: runDir(run.id),
      baseModelDir: run.baseModel.path,
      parentAdapterDir,
      config,
      train,
      val,
      tokenizer,
      computeMasks: computeTokenMasks,
      resume: resumeFrom ? { checkpointDir: resumeFrom.path, step: resumeFrom.step } : undefined,
      hooks: {
        onMetrics: (points) => {
          writer.metrics(points);
          if (Date.now() - lastProgress > 2000) {
            lastProgress = Date.now();
            void context.reportProgress(writer.lastStep, null, `step ${writer.lastStep}`).catch(() => {});
          }
        },
        onLog: (level, message) => void writer.log(level, message),
        onCheckpoint: (checkpoint) => writer.checkpoint(checkpoint),
        shouldStop: () => cancelRequested,
      },
    });
    await writer.close();
    const status = result.status === "cancelled" ? "CANCELLED" : "SUCCEEDED";
    // The last log line before the status: a page that sees the final status has already been sent every line.
    await db.runLog.create({ data: { runId: run.id, level: "info", message: status === "CANCELLED" ? `cancelled at step ${result.steps}` : `finished after ${result.steps} steps on ${result.backend}` } });
    await db.run.update({ where: { id: run.id }, data: { status, backend: result.backend, finishedAt: new Date() } });
    return { runId: run.id, status, steps: result.steps, backend: result.backend };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await writer.close().catch(() => {});
    await db.runLog.create({ data: { runId: run.id, level: "error", message } }).catch(() => {});
    await db.run.update({ where: { id: run.id }, data: { status: "FAILED", error: message, finishedAt: new Date() } }).catch(() => {});
    throw error;
  } finally {
    clearInterval(cancelPoll);
    await lock.release();
  }
}

function safeBackend(): string | null {
  try {
    return bestAvailableBackend();
  } catch {
    return null;
  }
}
