// A worker process's job loop: subscribes to some queues, runs each job's handler with a progress/cancel context,
// and checks in a heartbeat so health and the admin page know which workers are alive.
import os from "node:os";
import type { Db } from "../db/client";
import { getBoss } from "./boss";
import { isJobKind, JOB_DEFINITIONS, ZJobEnvelope, type TQueue } from "./definitions";
import { JobCancelledError, JOB_HANDLERS, type JobContext } from "./handlers";

export const HEARTBEAT_INTERVAL_MS = 5_000;
export { HEARTBEAT_STALE_MS, listLiveWorkers } from "./live-workers";

export type RunningWorker = { id: string; stop: () => Promise<void> };

export async function startWorker(
  db: Db,
  options: { queues: readonly TQueue[]; backend?: string | null; log?: (line: string) => void; pollingIntervalSeconds?: number },
): Promise<RunningWorker> {
  const log = options.log ?? ((line: string) => console.log(line));
  const boss = await getBoss();
  const startedAt = new Date();
  const id = `${os.hostname()}:${process.pid}:${startedAt.getTime()}`;

  const beat = () =>
    db.workerHeartbeat.upsert({
      where: { id },
      create: { id, hostname: os.hostname(), pid: process.pid, queues: [...options.queues], backend: options.backend ?? null, startedAt },
      update: { lastSeenAt: new Date() },
    });
  await beat();
  const heartbeat = setInterval(() => void beat().catch((error) => log(`[worker] heartbeat failed: ${error.message}`)), HEARTBEAT_INTERVAL_MS);
  heartbeat.unref();

  for (const queue of options.queues) {
    await boss.work<unknown>(
      queue,
      { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 },
      async ([job]) => {
        if (!job) return;
        const envelope = ZJobEnvelope.parse(job.data);
        if (!isJobKind(envelope.kind)) throw new Error(`Unknown job kind "${envelope.kind}" on queue ${queue}`);
        const kind = envelope.kind;
        const definition = JOB_DEFINITIONS[kind];
        const payload = definition.payload.parse(envelope.payload);
        // Scheduled jobs are created by pg-boss itself, not enqueueJob, so their progress row may not exist yet.
        await db.jobProgress.upsert({
          where: { jobId: job.id },
          create: { jobId: job.id, queue, label: (definition.describe as (payload: unknown) => string)(payload), createdById: envelope.createdById ?? null },
          update: {},
        });
        let lastCancelCheck = 0;
        let cancelled = false;
        const context: JobContext = {
          db,
          jobId: job.id,
          retryCount: job.retryCount,
          createdAt: job.createdOn,
          reportProgress: async (done, total, message) => {
            await db.jobProgress.update({
              where: { jobId: job.id },
              data: { done, ...(total !== undefined ? { total } : {}), ...(message !== undefined ? { message } : {}) },
            });
          },
          // Rate-limited: handlers may call it every step without hammering the database.
          isCancelled: async () => {
            if (cancelled) return true;
            if (Date.now() - lastCancelCheck < 500) return false;
            lastCancelCheck = Date.now();
            const current = await boss.getJobById(queue, job.id);
            cancelled = current?.state === "cancelled";
            return cancelled;
          },
        };
        log(`[worker] ${kind} ${job.id} started (attempt ${job.retryCount + 1})`);
        try {
          const result = await (JOB_HANDLERS[kind] as (payload: unknown, context: JobContext) => Promise<unknown>)(payload, context);
          await db.jobProgress.update({ where: { jobId: job.id }, data: { result: (result ?? null) as object } });
          log(`[worker] ${kind} ${job.id} finished`);
          return result;
        } catch (error) {
          if (error instanceof JobCancelledError) {
            log(`[worker] ${kind} ${job.id} cancelled`);
            return { cancelled: true };
          }
          log(`[worker] ${kind} ${job.id} failed: ${(error as Error).message}`);
          await db.jobProgress.update({ where: { jobId: job.id }, data: { message: `error: ${(error as Error).message}` } }).catch(() => {});
          throw error;
        }
      },
    );
  }
  if (options.queues.includes("maintenance")) {
    // pg-boss keeps one schedule per queue and runs it on exactly one worker, however many workers there are.
    await boss.schedule("maintenance", "17 * * * *", { kind: "maintenance.purge-expired", payload: {} });
  }
  log(`[worker] ${id} listening on ${options.queues.join(", ")}`);

  return {
    id,
    stop: async () => {
      clearInterval(heartbeat);
      for (const queue of options.queues) await boss.offWork(queue).catch(() => {});
      await db.workerHeartbeat.deleteMany({ where: { id } }).catch(() => {});
    },
  };
}
