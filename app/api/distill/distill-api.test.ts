// The distillation API: preview (coverage and cost, storing nothing), launch (the whole plan stored up front), progress,
// pause/resume/cancel with their state rules, bad input named, and annotators kept out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { createDistillFixture } from "@/lib/distill/engine/test-helpers";
import { browserRequest, createFixtures, routeParams, type TestUser } from "@/lib/testing/fixtures";
import { GET as list, POST as launch } from "./route";
import { POST as preview } from "./preview/route";
import { GET as options } from "./options/route";
import { GET as progress } from "./[id]/route";
import { POST as pause } from "./[id]/pause/route";
import { POST as resume } from "./[id]/resume/route";
import { POST as cancel } from "./[id]/cancel/route";

const db = getDb();
const fixtures = createFixtures();
let researcher: TestUser;
let annotator: TestUser;
let kb: Awaited<ReturnType<typeof createDistillFixture>>;

beforeAll(async () => {
  researcher = await fixtures.user("RESEARCHER");
  annotator = await fixtures.user("ANNOTATOR");
  kb = await createDistillFixture({ baseUrl: "http://127.0.0.1:9/v1", entries: 4, packages: 3 });
});

afterAll(async () => {
  const jobs = await db.distillationJob.findMany({ where: { providerId: kb.providerId }, select: { id: true } });
  for (const job of jobs) kb.track(job.id);
  await db.auditLog.deleteMany({ where: { entityType: "distillation_job", entityId: { in: jobs.map((job) => job.id) } } });
  await kb.cleanup();
  await fixtures.cleanup();
  await stopBoss({ graceful: false, timeout: 2000 });
});

const post = (handler: (request: Request, context?: { params?: Promise<Record<string, string>> }) => Promise<Response>, path: string, body: unknown, user: TestUser, params?: Record<string, string>) =>
  handler(browserRequest(path, { method: "POST", cookie: user.cookie, body }), params ? routeParams(params) : undefined);

describe("distillation API", () => {
  it("previews coverage and cost without storing anything", async () => {
    const before = await db.distillationJob.count();
    const res = await post(preview, "/api/distill/preview", kb.input({ n: 8 }), researcher);
    expect(res.status).toBe(200);
    const { preview: body } = await res.json();
    expect(body).toMatchObject({ planned: 8, simple: 4, complex: 4, coverage: { cwesSelected: 4, cwesCovered: 4 } });
    // Expected cost by hand: ~4 characters a token plus 8 framing tokens per prompt, 900 completion tokens per answer,
    // and 37.4% of prompts refined once (700 + 450 tokens), at $1 / $2 per 1M tokens.
    const promptTokens = body.estimate.expectedPromptTokens;
    const expected = (promptTokens * 1 + 8 * 900 * 2) / 1e6 + (8 * 0.374 * 700 * 1 + 8 * 0.374 * 450 * 2) / 1e6;
    expect(body.estimate.expectedUsd).toBeCloseTo(expected, 9);
    expect(body.estimate.worstCaseUsd).toBeGreaterThan(body.estimate.expectedUsd);
    expect(body.samplePrompt).toMatch(/VUL:/);
    expect(await db.distillationJob.count()).toBe(before);
  });

  it("names bad input and keeps annotators out", async () => {
    const bad = await post(launch, "/api/distill", { ...kb.input(), rounds: 5 }, researcher);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/rounds must be 0-3/);
    const none = await post(launch, "/api/distill", kb.input({ entries: { cweIds: ["CWE-99999"] } }), researcher);
    expect(none.status).toBe(400);
    expect((await none.json()).error).toMatch(/matches no knowledge-base entries/);
    const unknownModel = await post(launch, "/api/distill", { ...kb.input({ model: "my-local-model" }), price: undefined }, researcher);
    expect(unknownModel.status).toBe(400);
    expect((await unknownModel.json()).error).toMatch(/no price is known for model "my-local-model"/);
    const forbidden = await post(launch, "/api/distill", kb.input(), annotator);
    expect(forbidden.status).toBe(403);
    expect((await options(browserRequest("/api/distill/options", { cookie: annotator.cookie }))).status).toBe(403);
  });

  it("launches with the whole plan stored, reports progress, and enforces pause/resume/cancel states", async () => {
    const res = await post(launch, "/api/distill", kb.input({ n: 6, name: `api-${kb.tag}` }), researcher);
    expect(res.status).toBe(200);
    const { jobId, planned } = await res.json();
    expect(planned).toBe(6);
    const prompts = await db.distillationPrompt.findMany({ where: { jobId }, orderBy: { position: "asc" } });
    expect(prompts.map((p) => p.position)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const prompt of prompts) {
      expect(prompt.status).toBe("PLANNED");
      expect(prompt.idempotencyKey).toBe(`distill:${jobId}:${prompt.entryId}:${prompt.packageId ?? "none"}:0`);
      expect(prompt.text).toMatch(/Answer in exactly this format/);
    }
    const job = await db.distillationJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.status).toBe("QUEUED");
    expect(job.config).toMatchObject({ rounds: 1, temperature: 0.01, price: { inputUsdPerMTok: 1, outputUsdPerMTok: 2 }, watchdogChain: expect.any(String) });

    const view = await progress(browserRequest(`/api/distill/${jobId}`, { cookie: researcher.cookie }), routeParams({ id: jobId }));
    expect(view.status).toBe(200);
    expect((await view.json()).job).toMatchObject({ status: "QUEUED", counts: { planned: 6, sent: 0, pending: 6 }, spentUsd: 0, flaggedByRound: [{ round: 0 }, { round: 1 }] });
    const listed = await (await list(browserRequest("/api/distill", { cookie: researcher.cookie }))).json();
    expect(listed.jobs.map((j: { id: string }) => j.id)).toContain(jobId);

    expect((await post(pause, `/api/distill/${jobId}/pause`, {}, researcher, { id: jobId })).status).toBe(200);
    expect((await db.distillationJob.findUniqueOrThrow({ where: { id: jobId } })).status).toBe("PAUSED");
    const again = await post(pause, `/api/distill/${jobId}/pause`, {}, researcher, { id: jobId });
    expect(again.status).toBe(409);
    const resumed = await post(resume, `/api/distill/${jobId}/resume`, { budgetUsd: 50 }, researcher, { id: jobId });
    expect(resumed.status).toBe(200);
    const afterResume = await db.distillationJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(afterResume.status).toBe("QUEUED");
    expect(Number(afterResume.budgetUsd)).toBe(50);
    expect((await post(cancel, `/api/distill/${jobId}/cancel`, {}, researcher, { id: jobId })).status).toBe(200);
    expect((await post(resume, `/api/distill/${jobId}/resume`, {}, researcher, { id: jobId })).status).toBe(409);
    const missing = await progress(browserRequest(`/api/distill/00000000-0000-4000-8000-000000000000`, { cookie: researcher.cookie }), routeParams({ id: "00000000-0000-4000-8000-000000000000" }));
    expect(missing.status).toBe(404);
  });
});
