// End-to-end distillation jobs against the fake OpenAI server (the only double: the paid API), with the real database,
// real Bandit, the real Python syntax check, real masks. Costs are recomputed by hand from the fake server's token
// counts; flagged rates come from Bandit's findings on the code the fake model wrote.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { stopBoss } from "../../jobs/boss";
import {
  discoBehaviour,
  fakeTokenCount,
  malformedReply,
  rateLimitReply,
  serverErrorReply,
  startFakeOpenAI,
  type TFakeOpenAI,
  type TFakeRequest,
} from "../../testing/fake-openai-server";
import { createEngineDeps } from "./deps";
import { getDistillProgress } from "./progress";
import { answerText, runDistillJob } from "./run-job";
import { cancelDistillation, pauseDistillation, resumeDistillation } from "./control";
import { buildRoundDataset } from "./round-dataset";
import { createDistillFixture, testJobContext } from "./test-helpers";

const db = getDb();
let server: TFakeOpenAI;
let fixture: Awaited<ReturnType<typeof createDistillFixture>>;

beforeAll(async () => {
  server = await startFakeOpenAI();
  fixture = await createDistillFixture({ baseUrl: server.baseUrl, entries: 4, packages: 3 });
});

afterAll(async () => {
  await fixture?.cleanup();
  await server?.close();
  await stopBoss({ graceful: false, timeout: 2000 });
});

const fastDeps = (job: { providerId: string | null; concurrency: number }) => createEngineDeps(db, job, { delayScale: 0.01, maxRetries: 3, timeoutMs: 10_000 });

/** The prompt text of a generation request (the fake server joins message contents). */
const isGeneration = (req: TFakeRequest) => /VUL:/.test(req.prompt);

describe("distillation job", () => {
  it("sends every planned prompt once, refines flagged secure code, and accounts every cent", async () => {
    server.reset();
    // Every second generation keeps a weak hash (SHA-1) in the secure code: Bandit flags it, so it gets refined.
    const flaggedTexts = new Set<string>();
    let generations = 0;
    server.setBehaviour(
      discoBehaviour({
        secureStillFlagged: (req) => {
          const flag = generations++ % 2 === 0;
          if (flag) flaggedTexts.add(req.prompt);
          return flag;
        },
      }),
    );
    const { jobId, planned } = await fixture.launch({ n: 6, rounds: 1 });
    expect(planned).toBe(6);
    const result = await runDistillJob(db, { distillationJobId: jobId }, testJobContext(), fastDeps);
    expect(result.status).toBe("SUCCEEDED");

    const progress = (await getDistillProgress(db, jobId))!;
    expect(progress.status).toBe("SUCCEEDED");
    expect(progress.counts).toMatchObject({ planned: 6, sent: 6, parsed: 6, failed: 0, skipped: 0, done: 6, pending: 0, pairs: 6 });
    // Round 0: 3 of 6 secure codes flagged by Bandit (SHA-1); after one refinement round: none.
    expect(progress.flaggedByRound).toEqual([
      { round: 0, analyzed: 6, flagged: 3, share: 0.5 },
      { round: 1, analyzed: 6, flagged: 0, share: 0 },
    ]);
    expect(flaggedTexts.size).toBe(3);

    const generationRequests = server.requests.filter(isGeneration);
    const refineRequests = server.requests.filter((req) => !isGeneration(req));
    expect(generationRequests).toHaveLength(6);
    expect(new Set(generationRequests.map((req) => req.prompt)).size).toBe(6);
    expect(refineRequests).toHaveLength(3);
    // The refinement prompt quotes the flagged code and Bandit's finding on it.
    for (const req of refineRequests) {
      expect(req.prompt).toContain("hashlib.sha1");
      expect(req.prompt).toMatch(/\[B3(03|24)[^\]]*\].*(MD5|SHA1|sha1)/i); // the weak-hash test (its id depends on the Bandit version)
    }

    // Costs: each attempt = tokens x price (1 and 2 USD per 1M), tokens as the fake server counts them.
    const attempts = await db.llmAttempt.findMany({ where: { jobId } });
    expect(attempts).toHaveLength(9);
    let expectedTotal = 0;
    for (const attempt of attempts) {
      const request = attempt.request as { messages: { content: string }[] };
      const promptTokens = fakeTokenCount(request.messages.map((message) => message.content).join("\n"));
      const completionTokens = fakeTokenCount(answerText(attempt.rawResponse!));
      expect(attempt.promptTokens).toBe(promptTokens);
      expect(attempt.completionTokens).toBe(completionTokens);
      const cost = (promptTokens * 1 + completionTokens * 2) / 1e6;
      expect(Number(attempt.costUsd)).toBeCloseTo(cost, 9);
      expectedTotal += cost;
      expect(attempt.httpStatus).toBe(200);
      expect(attempt.error).toBeNull();
    }
    expect(progress.spentUsd).toBeCloseTo(expectedTotal, 9);
    const job = await db.distillationJob.findUniqueOrThrow({ where: { id: jobId } });
    // The job's column keeps 4 decimals: each increment rounds, so it is within half a tenth of a cent per attempt.
    expect(Math.abs(Number(job.spentUsd) - expectedTotal)).toBeLessThanOrEqual(0.00005 * attempts.length);

    // Pairs: distilled, unreviewed, linked to the job and templates; refined ones keep both rounds as revisions.
    const pairs = await db.pair.findMany({ where: { distillationJobId: jobId }, include: { revisions: { orderBy: { revision: "asc" } }, masks: true } });
    expect(pairs).toHaveLength(6);
    for (const pair of pairs) {
      expect(pair.status).toBe("UNREVIEWED");
      expect(pair.source).toBe(`distill:${jobId}`);
      expect(pair.tags).toContain("distilled");
      expect(pair.generationTemplateId).not.toBeNull();
      expect(pair.secureFlagged).toBe(false);
      expect(pair.reasoning).toMatch(/^The code may have the vulnerability CWE-\d+: '/);
      expect(pair.masks.length).toBeGreaterThan(0);
      if (pair.refinementRound === 1) {
        expect(pair.revisions.map((r) => r.revision)).toEqual([1, 2]);
        expect(pair.revisions[0]!.secureCode).toContain("hashlib.sha1");
        expect(pair.revisions[1]!.secureCode).toContain("hashlib.sha256");
        expect(pair.refinementTemplateId).not.toBeNull();
      } else {
        expect(pair.revisions).toHaveLength(1);
        expect(pair.refinementTemplateId).toBeNull();
      }
    }
    expect(pairs.filter((pair) => pair.refinementRound === 1)).toHaveLength(3);

    // Running the finished job again sends nothing.
    const before = server.requests.length;
    await runDistillJob(db, { distillationJobId: jobId }, testJobContext(), fastDeps);
    expect(server.requests.length).toBe(before);

    // A dataset from either round: round 0 keeps the unrefined (flagged) secure code, round 1 the refined code.
    const round0 = await buildRoundDataset(db, { jobId, round: 0, datasetName: `${fixture.datasetName}-round0` });
    const round1 = await buildRoundDataset(db, { jobId, round: 1, datasetName: `${fixture.datasetName}-round1` });
    expect([round0.pairs, round1.pairs]).toEqual([6, 6]);
    const codes0 = (await db.pair.findMany({ where: { datasetId: round0.datasetId }, select: { secureCode: true, refinementRound: true } }));
    const codes1 = (await db.pair.findMany({ where: { datasetId: round1.datasetId }, select: { secureCode: true, refinementRound: true } }));
    expect(codes0.filter((p) => p.secureCode.includes("hashlib.sha1"))).toHaveLength(3);
    expect(codes0.every((p) => p.refinementRound === 0)).toBe(true);
    expect(codes1.filter((p) => p.secureCode.includes("hashlib.sha1"))).toHaveLength(0);
    expect(codes1.filter((p) => p.refinementRound === 1)).toHaveLength(3);
    await expect(buildRoundDataset(db, { jobId, round: 1, datasetName: `${fixture.datasetName}-round1` })).rejects.toThrow(/already exists/);
    // The copies do not count as the job's pairs.
    expect((await getDistillProgress(db, jobId))!.counts.pairs).toBe(6);
  });

  it("survives 429 with Retry-After, 500s and slow answers; malformed and persistently failing prompts fail with their reason", async () => {
    server.reset();
    const replies = new Map<string, number>();
    server.setBehaviour((req) => {
      if (!isGeneration(req)) return discoBehaviour()(req);
      const seen = replies.get(req.prompt) ?? 0;
      replies.set(req.prompt, seen + 1);
      const which = [...replies.keys()].indexOf(req.prompt);
      // Prompt 0: 429 then fine. Prompt 1: 500 then fine. Prompt 2: malformed. Prompt 3: 500 forever. Prompt 4: slow.
      if (which === 0 && seen === 0) return rateLimitReply(1);
      if (which === 1 && seen === 0) return serverErrorReply(500);
      if (which === 2) return malformedReply(1);
      if (which === 3) return serverErrorReply(503);
      if (which === 4) return { ...discoBehaviour()(req), delayMs: 1500 } as ReturnType<ReturnType<typeof discoBehaviour>>;
      return discoBehaviour()(req);
    });
    const { jobId } = await fixture.launch({ n: 6, rounds: 0, seed: 7, concurrency: 2, dataset: { name: `${fixture.datasetName}-b` } });
    const result = await runDistillJob(db, { distillationJobId: jobId }, testJobContext(), fastDeps);
    expect(result.status).toBe("SUCCEEDED");
    const progress = (await getDistillProgress(db, jobId))!;
    // A plan may repeat a (entry, package) combination; the fake model then gives the same answer, which the dataset
    // already holds: that prompt is SKIPPED with the pair it duplicates.
    const skipped = progress.counts.skipped;
    expect(progress.counts).toMatchObject({ planned: 6, sent: 6, parsed: 4, failed: 2, done: 6, pairs: 4 - skipped });
    const failed = await db.distillationPrompt.findMany({ where: { jobId, status: "FAILED" }, select: { error: true, text: true } });
    expect(failed.map((prompt) => prompt.error).sort()).toEqual([
      expect.stringMatching(/^LLM request failed: server after 4 attempt\(s\)/),
      expect.stringMatching(/^unusable answer: the answer is missing/),
    ]);
    // One stored attempt per chat call: the failed one with its status, the malformed one with the parse error.
    const attempts = await db.llmAttempt.findMany({ where: { jobId } });
    expect(attempts).toHaveLength(6);
    expect(attempts.filter((a) => a.httpStatus === 503)).toHaveLength(1);
    expect(attempts.filter((a) => a.error?.startsWith("unusable answer"))).toHaveLength(1);
    // The server saw 6 prompts + 1 retry after the 429 + 1 retry after the 500 + 3 retries of the 503 prompt.
    expect(server.requests.filter(isGeneration)).toHaveLength(6 + 1 + 1 + 3);
    expect(server.maxInFlight).toBeLessThanOrEqual(2);
    const sum = attempts.reduce((total, attempt) => total + Number(attempt.costUsd), 0);
    expect(progress.spentUsd).toBeCloseTo(sum, 9);
    expect(Number(attempts.find((a) => a.httpStatus === 503)!.costUsd)).toBe(0);
  });

  it("stops before the budget cap is exceeded, and continues after the budget is raised", async () => {
    server.reset();
    server.setBehaviour(discoBehaviour());
    // 1000 USD per 1M tokens both ways: a request costs about $0.6, its worst case (prompt bytes + 800 tokens) about $1.9.
    const price = { inputUsdPerMTok: 1000, outputUsdPerMTok: 1000 };
    const { jobId } = await fixture.launch({ n: 8, rounds: 0, concurrency: 1, price, maxTokens: 800, budgetUsd: 4, dataset: { name: `${fixture.datasetName}-c` } });
    const result = await runDistillJob(db, { distillationJobId: jobId }, testJobContext(), fastDeps);
    expect(result.status).toBe("PAUSED");
    const job = await db.distillationJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.status).toBe("PAUSED");
    expect(job.error).toMatch(/budget cap/);
    const progress = (await getDistillProgress(db, jobId))!;
    expect(progress.spentUsd).toBeLessThanOrEqual(4);
    expect(progress.counts.sent).toBeGreaterThan(0);
    expect(progress.counts.sent).toBeLessThan(8);
    expect(server.requests).toHaveLength(progress.counts.sent);
    // The next prompt's worst case would have passed the cap: that is why it was not sent.
    const next = await db.distillationPrompt.findFirstOrThrow({ where: { jobId, status: "PLANNED" }, orderBy: { position: "asc" } });
    const worst = ((Buffer.byteLength(next.text, "utf8") + 16) * 1000 + 800 * 1000) / 1e6;
    expect(progress.spentUsd + worst).toBeGreaterThan(4);

    const { resumeDistillation } = await import("./control");
    await resumeDistillation(db, jobId, { budgetUsd: 100 });
    const again = await runDistillJob(db, { distillationJobId: jobId }, testJobContext(), fastDeps);
    expect(again.status).toBe("SUCCEEDED");
    const final = (await getDistillProgress(db, jobId))!.counts;
    expect(final).toMatchObject({ planned: 8, sent: 8, parsed: 8, failed: 0, pairs: 8 - final.skipped });
    for (const prompt of await db.distillationPrompt.findMany({ where: { jobId, status: "SKIPPED" } })) expect(prompt.error).toMatch(/^same content as pair [0-9a-f-]{36} already in the dataset$/);
    expect(server.requests).toHaveLength(8);
  });

  it("pauses and cancels between prompts: requests in flight finish and are stored, nothing is sent twice on resume", async () => {
    server.reset();
    server.setBehaviour(discoBehaviour({ delayMs: 600 }));
    const { jobId } = await fixture.launch({ n: 8, rounds: 0, complexShare: 1, concurrency: 2, dataset: { name: `${fixture.datasetName}-d` } });
    const running = runDistillJob(db, { distillationJobId: jobId }, testJobContext(), fastDeps);
    for (let i = 0; i < 200 && (await db.llmAttempt.count({ where: { jobId } })) < 1; i++) await new Promise((r) => setTimeout(r, 50));
    await pauseDistillation(db, jobId);
    expect((await running).status).toBe("PAUSED");
    const paused = (await getDistillProgress(db, jobId))!;
    expect(paused.status).toBe("PAUSED");
    // Every request the server saw has its answer stored, and the rest of the plan is untouched.
    expect(server.requests).toHaveLength(paused.attempts.total);
    expect(paused.counts.pending).toBeGreaterThan(0);
    expect(paused.counts.sent).toBe(paused.attempts.total);

    await resumeDistillation(db, jobId);
    const resumed = runDistillJob(db, { distillationJobId: jobId }, testJobContext(), fastDeps);
    for (let i = 0; i < 200 && (await db.llmAttempt.count({ where: { jobId } })) < paused.attempts.total + 1; i++) await new Promise((r) => setTimeout(r, 50));
    await cancelDistillation(db, jobId);
    expect((await resumed).status).toBe("CANCELLED");
    const cancelled = (await getDistillProgress(db, jobId))!;
    expect(cancelled.status).toBe("CANCELLED");
    expect(server.requests).toHaveLength(cancelled.attempts.total);
    expect(new Set(server.requests.map((req) => req.prompt)).size).toBe(server.requests.length);
    expect(cancelled.counts.pending).toBeGreaterThan(0);
    // A cancelled job does not run again.
    expect((await runDistillJob(db, { distillationJobId: jobId }, testJobContext(), fastDeps)).status).toBe("CANCELLED");
    expect(server.requests).toHaveLength(cancelled.attempts.total);
  });
});
