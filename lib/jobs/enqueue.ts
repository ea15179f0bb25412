// Enqueue, inspect and cancel background jobs. Payloads are validated against their definition before they are stored.
import type { Db } from "../db/client";
import { getBoss } from "./boss";
import { isJobKind, JOB_DEFINITIONS, type TJobKind, type TJobPayloadInput, type TQueue } from "./definitions";

export type JobState = "created" | "retry" | "active" | "completed" | "cancelled" | "failed";

export type JobView = {
  id: string;
  queue: TQueue;
  kind: string;
  label: string;
  state: JobState;
  retryCount: number;
  done: number;
  total: number | null;
  message: string | null;
  result: unknown;
  output: unknown;
  createdOn: Date;
  startedOn: Date | null;
  completedOn: Date | null;
};

export async function enqueueJob<K extends TJobKind>(
  db: Db,
  kind: K,
  payloadInput: TJobPayloadInput<K>,
  options: {
    createdById?: string | null;
    singletonKey?: string;
    startAfterSeconds?: number;
    /** Overrides the queue's retry policy for this job. */
    retry?: { limit: number; delaySeconds: number };
  } = {},
): Promise<string> {
  const definition = JOB_DEFINITIONS[kind];
  const payload = definition.payload.parse(payloadInput);
  const boss = await getBoss();
  const id = await boss.send(
    definition.queue,
    { kind, payload, createdById: options.createdById ?? null },
    {
      singletonKey: options.singletonKey,
      startAfter: options.startAfterSeconds,
      ...(options.retry ? { retryLimit: options.retry.limit, retryDelay: options.retry.delaySeconds, retryBackoff: true } : {}),
    },
  );
  if (!id) throw Object.assign(new Error(`A ${kind} job with key ${options.singletonKey} is already queued`), { status: 409 });
  await db.jobProgress.create({
    data: {
      jobId: id,
      queue: definition.queue,
      label: (definition.describe as (payload: unknown) => string)(payload),
      createdById: options.createdById ?? null,
    },
  });
  return id;
}

export async function getJob(db: Db, id: string): Promise<JobView | null> {
  const progress = await db.jobProgress.findUnique({ where: { jobId: id } });
  if (!progress) return null;
  const boss = await getBoss();
  const job = await boss.getJobById<{ kind: string }>(progress.queue, id, { includeArchive: true });
  if (!job) return null;
  return {
    id,
    queue: progress.queue as TQueue,
    kind: isJobKind(job.data.kind) ? job.data.kind : "unknown",
    label: progress.label,
    state: job.state,
    retryCount: job.retryCount,
    done: progress.done,
    total: progress.total,
    message: progress.message,
    result: progress.result,
    output: job.output,
    createdOn: job.createdOn,
    startedOn: job.startedOn ?? null,
    completedOn: job.completedOn ?? null,
  };
}

/** Cancels a queued or running job. A running handler sees it through `context.isCancelled()` and stops at its next check. */
export async function cancelJob(db: Db, id: string): Promise<void> {
  const progress = await db.jobProgress.findUnique({ where: { jobId: id } });
  if (!progress) throw Object.assign(new Error(`No job with id ${id}`), { status: 404 });
  const boss = await getBoss();
  await boss.cancel(progress.queue, id);
}

export async function listRecentJobs(db: Db, limit = 50) {
  return db.jobProgress.findMany({ orderBy: { createdAt: "desc" }, take: limit });
}
