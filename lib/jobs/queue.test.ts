// The job queue against the real test database: jobs run, report progress, retry after failures, can be cancelled,
// and survive the process that queued them going away.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { getDb } from "../db/client";
import { stopBoss } from "./boss";
import { cancelJob, enqueueJob, getJob, type JobView } from "./enqueue";
import { listLiveWorkers, startWorker, type RunningWorker } from "./worker";

const db = getDb();
const jobIds: string[] = [];
let worker: RunningWorker | null = null;

afterEach(async () => {
  await worker?.stop();
  worker = null;
});

afterAll(async () => {
  await stopBoss({ graceful: false, timeout: 2000 });
  await db.jobProgress.deleteMany({ where: { jobId: { in: jobIds } } });
});

async function waitFor(id: string, predicate: (job: JobView) => boolean, timeoutMs = 30_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJob(db, id);
    if (job && predicate(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} did not reach the expected state; last: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const quiet = () => {};

describe("job queue", () => {
  it("runs a job on a worker and records its progress and result", async () => {
    const id = await enqueueJob(db, "maintenance.count", { steps: 3 });
    jobIds.push(id);
    expect((await getJob(db, id))!.state).toBe("created");
    worker = await startWorker(db, { queues: ["maintenance"], log: quiet, pollingIntervalSeconds: 0.5 });
    expect((await listLiveWorkers(db)).map((live) => live.id)).toContain(worker.id);
    const done = await waitFor(id, (job) => job.state === "completed");
    expect(done).toMatchObject({ done: 3, total: 3, result: { counted: 3 }, label: "Count to 3", queue: "maintenance" });
  });

  it("retries a failing job with backoff until it succeeds", async () => {
    const id = await enqueueJob(db, "maintenance.count", { steps: 1, failTimes: 1 }, { retry: { limit: 2, delaySeconds: 1 } });
    jobIds.push(id);
    worker = await startWorker(db, { queues: ["maintenance"], log: quiet, pollingIntervalSeconds: 0.5 });
    const done = await waitFor(id, (job) => job.state === "completed");
    expect(done.retryCount).toBe(1);
    expect(done.result).toEqual({ counted: 1 });
  });

  it("marks a job failed after its last retry, keeping the error", async () => {
    const id = await enqueueJob(db, "maintenance.count", { steps: 1, failTimes: 5 }, { retry: { limit: 1, delaySeconds: 1 } });
    jobIds.push(id);
    worker = await startWorker(db, { queues: ["maintenance"], log: quiet, pollingIntervalSeconds: 0.5 });
    const failed = await waitFor(id, (job) => job.state === "failed");
    expect(failed.retryCount).toBe(1);
    expect(failed.message).toMatch(/planned failure 2 of 5/);
  });

  it("cancels a running job: the handler stops at its next check", async () => {
    const id = await enqueueJob(db, "maintenance.count", { steps: 200, stepMs: 50 });
    jobIds.push(id);
    worker = await startWorker(db, { queues: ["maintenance"], log: quiet, pollingIntervalSeconds: 0.5 });
    await waitFor(id, (job) => job.done >= 3);
    await cancelJob(db, id);
    const cancelled = await waitFor(id, (job) => job.state === "cancelled");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = (await getJob(db, id))!;
    expect(after.state).toBe("cancelled");
    expect(after.done).toBeLessThan(200);
    // Progress stops moving once the handler has seen the cancellation.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await getJob(db, id))!.done).toBe(after.done);
    expect(cancelled.done).toBeGreaterThanOrEqual(3);
  });

  it("keeps queued jobs across a restart of the queue client", async () => {
    const id = await enqueueJob(db, "maintenance.count", { steps: 2 });
    jobIds.push(id);
    await stopBoss({ graceful: false, timeout: 2000 }); // the process that queued it goes away
    worker = await startWorker(db, { queues: ["maintenance"], log: quiet, pollingIntervalSeconds: 0.5 });
    const done = await waitFor(id, (job) => job.state === "completed");
    expect(done.result).toEqual({ counted: 2 });
  });

  it("purges expired sessions in the maintenance job and leaves live ones", async () => {
    const user = await db.user.create({ data: { email: `purge-${Date.now()}@test.local`, name: "p", passwordHash: "x" } });
    await db.session.createMany({
      data: [
        { id: `expired-${user.id}`, userId: user.id, expiresAt: new Date(Date.now() - 60_000) },
        { id: `live-${user.id}`, userId: user.id, expiresAt: new Date(Date.now() + 60_000) },
      ],
    });
    const id = await enqueueJob(db, "maintenance.purge-expired", {});
    jobIds.push(id);
    worker = await startWorker(db, { queues: ["maintenance"], log: quiet, pollingIntervalSeconds: 0.5 });
    const done = await waitFor(id, (job) => job.state === "completed");
    expect((done.result as { sessions: number }).sessions).toBeGreaterThanOrEqual(1);
    expect((await db.session.findMany({ where: { userId: user.id } })).map((session) => session.id)).toEqual([`live-${user.id}`]);
    await db.user.delete({ where: { id: user.id } });
  });

  it("refuses an invalid payload before storing anything", async () => {
    const before = await db.jobProgress.count();
    await expect(enqueueJob(db, "maintenance.count", { steps: 0 })).rejects.toThrow(/steps/);
    expect(await db.jobProgress.count()).toBe(before);
  });
});
