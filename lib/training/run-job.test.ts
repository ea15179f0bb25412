// The train.run handler end to end on the built-in tiny model (real tfjs computation, real PostgreSQL): metric points
// once per (name, step), checkpoint rows with PEFT adapters, SUCCEEDED; cancel within a step; and a worker killed
// with SIGKILL mid-run whose run resumes from its last checkpoint with continuous, duplicate-free metric steps.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../db/client";
import { ensureTinyModel } from "../../trainer/src/models/tiny";
import { inspectAdapter } from "./adapter-files";
import { JOB_HANDLERS } from "../jobs/handlers";
import { launchRun } from "./launch";
import { getRun } from "./queries";
import { cancelRun } from "./run-control";
import { runTrainJob } from "./run-job";
import { createTrainingFixture } from "./testing";
import { runTrainWatchdog } from "./watchdog";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "disco-train-test-"));
process.env.DISCO_DATA_DIR = dataDir;
const modelDir = ensureTinyModel(path.join(os.tmpdir(), "disco-tiny-model-test"));

/** Small and quick: 2 pairs per step, short sequences, a checkpoint every 2 steps. */
const SMALL = { effectiveBatchSize: 2, microBatchSize: 1, maxLength: 96, maxPromptLength: 32, logEvery: 1, evalEvery: 2, checkpointEvery: 2, lora: { r: 4, alpha: 8 }, optimizer: { learningRate: 1e-3 } };
const context = { db: getDb(), reportProgress: async () => {} };

let fixture: Awaited<ReturnType<typeof createTrainingFixture>>;
beforeAll(async () => {
  fixture = await createTrainingFixture({ pairs: 6, modelPath: modelDir, tokenizerId: `hf:${modelDir}`, split: { train: 0.67, val: 0.33, test: 0 } });
});
afterAll(async () => {
  await fixture?.cleanup();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function stepsOf(runId: string, name: string): Promise<number[]> {
  const rows = await getDb().metricPoint.findMany({ where: { runId, name }, orderBy: { step: "asc" }, select: { step: true } });
  return rows.map((row) => row.step);
}

async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("train.run handler", () => {
  it("trains an LPO run to SUCCEEDED with metrics once per (name, step) and PEFT checkpoints", async () => {
    const db = getDb();
    const run = await launchRun(db, { presetId: "lpo-no-sft", datasetVersionId: fixture.versionId, baseModelId: fixture.modelId, overrides: { ...SMALL, maxSteps: 4 } }, { createdById: null });
    // Through the same entry the queue worker uses (the job handler table).
    const result = (await JOB_HANDLERS["train.run"]({ runId: run.id }, { ...context, jobId: "test", retryCount: 0, createdAt: new Date(), isCancelled: async () => false })) as { status: string; steps: number };
    expect(result).toMatchObject({ status: "SUCCEEDED", steps: 4 });

    const row = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(row.status).toBe("SUCCEEDED");
    expect(row.backend).toMatch(/wasm|cpu|tensorflow/);
    expect(row.startedAt).not.toBeNull();
    expect(row.finishedAt).not.toBeNull();
    for (const name of ["loss", "grad_norm", "learning_rate", "rewards/margins", "mask_fraction/chosen"]) expect(await stepsOf(run.id, name), name).toEqual([1, 2, 3, 4]);
    expect(await stepsOf(run.id, "eval/loss")).toEqual([2, 4]);
    const loss = await db.metricPoint.findMany({ where: { runId: run.id, name: "loss" } });
    for (const point of loss) expect(Number.isFinite(point.value)).toBe(true);

    const checkpoints = await db.checkpoint.findMany({ where: { runId: run.id }, orderBy: { step: "asc" } });
    expect(checkpoints.map((checkpoint) => [checkpoint.step, checkpoint.isFinal])).toEqual([
      [2, false],
      [4, true],
    ]);
    const adapter = inspectAdapter(checkpoints[1]!.path);
    expect(adapter.problems).toEqual([]);
    expect(adapter).toMatchObject({ ok: true, r: 4, loraAlpha: 8 });
    expect(Number(checkpoints[1]!.sizeBytes)).toBeGreaterThan(0);
    expect(checkpoints[1]!.path.startsWith(dataDir)).toBe(true);

    // A second delivery of the same job (a queue retry) leaves a finished run alone.
    expect(await runTrainJob({ runId: run.id }, context)).toMatchObject({ status: "SUCCEEDED", skipped: "run already finished" });
    expect(await db.metricPoint.count({ where: { runId: run.id, name: "loss" } })).toBe(4);
  });

  it("cancel stops a running run within a step, leaves a resumable checkpoint, and marks it CANCELLED", async () => {
    const db = getDb();
    const run = await launchRun(db, { presetId: "sft", datasetVersionId: fixture.versionId, baseModelId: fixture.modelId, overrides: { ...SMALL, maxSteps: 200 } }, { createdById: null });
    const job = runTrainJob({ runId: run.id }, context);
    await waitFor(() => db.metricPoint.findFirst({ where: { runId: run.id, name: "loss" } }), 60_000, "the first metric point");
    expect((await getRun(db, run.id)).orphaned).toBe(false);
    // A live worker holds the run: the watchdog leaves it alone.
    expect(await runTrainWatchdog(db, { runId: run.id }, { reschedule: false })).toEqual({ status: "RUNNING", requeued: false });
    expect(await cancelRun(db, run.id)).toMatchObject({ status: "RUNNING" });
    const result = await job;
    expect(result.status).toBe("CANCELLED");
    expect(result.steps!).toBeLessThan(200);
    const row = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(row).toMatchObject({ status: "CANCELLED", cancelRequested: true });
    const last = await db.checkpoint.findFirst({ where: { runId: run.id }, orderBy: { step: "desc" } });
    expect(last?.step).toBe(result.steps);
  });

  it("a worker killed with SIGKILL mid-run: the run is orphaned, the watchdog re-queues it, it resumes from its last checkpoint, and its metric steps continue with no gap or duplicate", async () => {
    const db = getDb();
    const run = await launchRun(db, { presetId: "lpo-no-sft", datasetVersionId: fixture.versionId, baseModelId: fixture.modelId, overrides: { ...SMALL, maxSteps: 8 } }, { createdById: null });
    // `node --import tsx` (not the tsx CLI, which runs the script in a grandchild that SIGKILL would not reach).
    const child = spawn(process.execPath, ["--import", "tsx", "lib/training/kill-test-child.ts", run.id], {
      env: { ...process.env, DISCO_DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      await waitFor(() => db.checkpoint.findFirst({ where: { runId: run.id, step: 2 } }), 90_000, `the first checkpoint (child output: ${output})`);
    } catch (error) {
      child.kill("SIGKILL");
      throw error;
    }
    child.kill("SIGKILL");
    await exited;
    expect(output).not.toMatch(/finished/);

    // PostgreSQL notices the dead process's connection (and drops its run lock) within moments.
    const killed = await waitFor(async () => {
      const detail = await getRun(db, run.id);
      return detail.orphaned ? detail : null;
    }, 15_000, "the run lock to be released");
    expect(killed.status).toBe("RUNNING");
    const lossBefore = await stepsOf(run.id, "loss");
    expect(lossBefore.length).toBeGreaterThanOrEqual(2);
    expect(lossBefore.length).toBeLessThan(8);
    const valuesBefore = new Map((await db.metricPoint.findMany({ where: { runId: run.id, name: "loss" } })).map((point) => [point.step, point.value]));

    // The watchdog (what the queue runs every minute) sees RUNNING without a lock holder and re-queues the run.
    const fromStep = (await db.checkpoint.findFirstOrThrow({ where: { runId: run.id }, orderBy: { step: "desc" } })).step;
    expect(fromStep).toBeGreaterThanOrEqual(2);
    expect(await runTrainWatchdog(db, { runId: run.id }, { reschedule: false })).toEqual({ status: "QUEUED", requeued: true });
    expect(await runTrainWatchdog(db, { runId: run.id }, { reschedule: false })).toEqual({ status: "QUEUED", requeued: false });
    const resumed = { fromStep };
    const result = await runTrainJob({ runId: run.id }, context);
    expect(result).toMatchObject({ status: "SUCCEEDED", steps: 8 });

    for (const name of ["loss", "grad_norm", "learning_rate"]) expect(await stepsOf(run.id, name), name).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await stepsOf(run.id, "eval/loss")).toEqual([2, 4, 6, 8]);
    // Points written before the kill are kept as they were (the resumed run recomputes them identically anyway).
    const after = await db.metricPoint.findMany({ where: { runId: run.id, name: "loss", step: { in: [...valuesBefore.keys()] } } });
    for (const point of after) expect(point.value).toBe(valuesBefore.get(point.step));
    const logs = (await db.runLog.findMany({ where: { runId: run.id }, orderBy: { id: "asc" } })).map((log) => log.message);
    expect(logs.some((message) => message.startsWith(`resuming from the checkpoint at step ${resumed.fromStep}`))).toBe(true);
    const final = await db.checkpoint.findFirstOrThrow({ where: { runId: run.id, isFinal: true } });
    expect(final.step).toBe(8);
    expect(inspectAdapter(final.path).ok).toBe(true);
  });
});
