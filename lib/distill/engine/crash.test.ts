// Crash safety with real processes: a real worker (`disco worker --queues distill`) runs a distillation against the
// fake OpenAI server, is killed with SIGKILL mid-job, and a second worker started afterwards finishes the job. The
// fake server's request log proves no prompt was sent again after its answer was stored, and every stored attempt
// survives.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { stopBoss } from "../../jobs/boss";
import { discoBehaviour, startFakeOpenAI, type TFakeOpenAI } from "../../testing/fake-openai-server";
import { getDistillProgress } from "./progress";
import { createDistillFixture } from "./test-helpers";

const db = getDb();
const root = path.resolve(import.meta.dirname, "../../..");
let server: TFakeOpenAI;
let fixture: Awaited<ReturnType<typeof createDistillFixture>>;
const children: ChildProcess[] = [];

function startWorker(label: string): ChildProcess {
  // node --import tsx: one process, so SIGKILL hits the worker itself (npx/tsx would leave a grandchild running).
  const child = spawn(process.execPath, ["--import", "tsx", "cli/index.ts", "worker", "--queues", "distill"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL, DISCO_DISTILL_LEASE_SECONDS: "4" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk: Buffer) => process.env.DEBUG_DISTILL && process.stdout.write(`[${label}] ${chunk}`));
  child.stderr!.on("data", (chunk: Buffer) => process.env.DEBUG_DISTILL && process.stderr.write(`[${label}] ${chunk}`));
  children.push(child);
  return child;
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  server = await startFakeOpenAI();
  fixture = await createDistillFixture({ baseUrl: server.baseUrl, entries: 4, packages: 3 });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await fixture?.cleanup();
  await server?.close();
  await stopBoss({ graceful: false, timeout: 2000 });
});

describe("distillation crash safety", () => {
  it("continues after the worker is killed, never re-sending a prompt whose answer was stored", { timeout: 240_000 }, async () => {
    // Slow answers, so the job is mid-way when the worker dies; every third secure code needs a refinement round.
    let generations = 0;
    server.setBehaviour(discoBehaviour({ delayMs: 700, secureStillFlagged: () => generations++ % 3 === 0 }));
    // Only complex prompts over 4 entries x 3 packages: 10 distinct prompts, so request logs map 1:1 to prompts.
    const { jobId } = await fixture.launch({ n: 10, complexShare: 1, rounds: 1, concurrency: 2 }, true);

    const first = startWorker("worker-1");
    await waitFor("three stored answers", async () => (await db.llmAttempt.count({ where: { jobId, purpose: "GENERATE" } })) >= 3, 120_000);
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    const killedAt = Date.now();
    const storedBeforeKill = await db.llmAttempt.findMany({ where: { jobId }, orderBy: { createdAt: "asc" } });
    const pending = await db.distillationPrompt.count({ where: { jobId, status: { in: ["PLANNED", "SENT"] } } });
    expect(pending).toBeGreaterThan(0); // really mid-job

    startWorker("worker-2");
    const progress = await waitFor(
      "the job to finish on the second worker",
      async () => {
        const p = await getDistillProgress(db, jobId);
        return p && p.status === "SUCCEEDED" ? p : null;
      },
      180_000,
    );
    expect(progress.counts).toMatchObject({ planned: 10, sent: 10, parsed: 10, failed: 0, skipped: 0, pairs: 10, pending: 0 });

    // Nothing stored was lost or changed.
    const after = await db.llmAttempt.findMany({ where: { jobId } });
    const byId = new Map(after.map((attempt) => [attempt.id, attempt]));
    for (const attempt of storedBeforeKill) {
      expect(byId.get(attempt.id)?.rawResponse).toBe(attempt.rawResponse);
      expect(Number(byId.get(attempt.id)?.costUsd)).toBe(Number(attempt.costUsd));
    }
    // Exactly one stored answer per prompt and per refinement round.
    const generationAttempts = after.filter((attempt) => attempt.purpose === "GENERATE");
    expect(generationAttempts).toHaveLength(10);
    expect(new Set(generationAttempts.map((attempt) => attempt.promptId)).size).toBe(10);
    const refineAttempts = after.filter((attempt) => attempt.purpose === "REFINE");
    expect(new Set(refineAttempts.map((attempt) => attempt.pairId)).size).toBe(refineAttempts.length);

    // The server log: a prompt whose answer was stored before the kill was never requested after it.
    const prompts = await db.distillationPrompt.findMany({ where: { jobId }, select: { id: true, text: true } });
    const textOf = new Map(prompts.map((prompt) => [prompt.id, prompt.text]));
    for (const attempt of storedBeforeKill.filter((a) => a.purpose === "GENERATE")) {
      const text = textOf.get(attempt.promptId!)!;
      const requests = server.requests.filter((req) => req.prompt === text);
      expect(requests.filter((req) => req.receivedAt > killedAt)).toHaveLength(0);
      expect(requests).toHaveLength(1);
    }
    // Overall: each prompt at most twice (once more only if its request was in flight, unanswered, at the kill).
    const generationRequests = server.requests.filter((req) => /VUL:/.test(req.prompt));
    expect(generationRequests.length).toBeGreaterThanOrEqual(10);
    expect(generationRequests.length).toBeLessThanOrEqual(10 + 2);
    for (const prompt of prompts) expect(generationRequests.filter((req) => req.prompt === prompt.text).length).toBeLessThanOrEqual(2);

    // Spend is exactly the stored attempts, and refinement cleared the flagged secure code.
    const sum = after.reduce((total, attempt) => total + Number(attempt.costUsd), 0);
    expect(progress.spentUsd).toBeCloseTo(sum, 9);
    expect(progress.flaggedByRound[0]!.flagged).toBeGreaterThan(0);
    expect(progress.flaggedByRound[1]).toMatchObject({ analyzed: 10, flagged: 0 });
  });
});
