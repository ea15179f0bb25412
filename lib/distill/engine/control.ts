// Pause, resume and cancel. The runner reads the job's status between prompts: after a pause or cancel it takes no new
// prompt, lets the requests in flight finish and stores their answers, then stops. Resuming queues a new run, which
// continues from what is stored.
import type { Db } from "../../db/client";
import { startDistillRun } from "./run-job";

export class JobControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "JobControlError";
  }
}

async function load(db: Db, jobId: string) {
  const job = await db.distillationJob.findUnique({ where: { id: jobId }, select: { id: true, status: true, budgetUsd: true } });
  if (!job) throw new JobControlError(404, `no distillation job ${jobId}`);
  return job;
}

export async function pauseDistillation(db: Db, jobId: string): Promise<{ status: string }> {
  const job = await load(db, jobId);
  if (job.status !== "RUNNING" && job.status !== "QUEUED") throw new JobControlError(409, `a ${job.status.toLowerCase()} job cannot be paused`);
  await db.distillationJob.updateMany({ where: { id: jobId, status: { in: ["RUNNING", "QUEUED"] } }, data: { status: "PAUSED", error: "paused by a user" } });
  return { status: "PAUSED" };
}

export async function resumeDistillation(db: Db, jobId: string, options: { budgetUsd?: number; userId?: string | null } = {}): Promise<{ status: string; runJobId: string }> {
  const job = await load(db, jobId);
  // QUEUED too: a launch whose run could not be queued (the queue was down) is started this way; a second run of a
  // job that has one finds the lease held and ends.
  if (job.status !== "PAUSED" && job.status !== "FAILED" && job.status !== "QUEUED") throw new JobControlError(409, `a ${job.status.toLowerCase()} job cannot be resumed`);
  if (options.budgetUsd !== undefined && !(options.budgetUsd > 0)) throw new JobControlError(400, "budgetUsd must be positive");
  const updated = await db.distillationJob.updateMany({
    where: { id: jobId, status: { in: ["PAUSED", "FAILED", "QUEUED"] } },
    data: { status: "QUEUED", error: null, finishedAt: null, ...(options.budgetUsd !== undefined ? { budgetUsd: options.budgetUsd } : {}) },
  });
  if (updated.count === 0) throw new JobControlError(409, "the job changed meanwhile; reload");
  const runJobId = await startDistillRun(db, jobId, options.userId ?? null);
  return { status: "QUEUED", runJobId };
}

export async function cancelDistillation(db: Db, jobId: string): Promise<{ status: string }> {
  const job = await load(db, jobId);
  if (job.status === "SUCCEEDED" || job.status === "CANCELLED") throw new JobControlError(409, `a ${job.status.toLowerCase()} job cannot be cancelled`);
  await db.distillationJob.updateMany({
    where: { id: jobId, status: { notIn: ["SUCCEEDED", "CANCELLED"] } },
    data: { status: "CANCELLED", finishedAt: new Date(), error: "cancelled by a user" },
  });
  return { status: "CANCELLED" };
}
