// Route tests for evaluations and benchmarks: who may launch, per-field 400s, the list/detail, cancel semantics, the
// benchmark import refusing paths outside the shared data folder, and the demo job launching real evaluations of a
// finished run and its base model on the built-in demo benchmarks.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { DEMO_SECURITY_BENCHMARK, DEMO_UTILITY_BENCHMARK } from "@/lib/eval/generate/demo-benchmarks";
import { runDemoEvaluations } from "@/lib/eval/generate/demo";
import { runGenerateEvaluation } from "@/lib/eval/generate/run-generation";
import { browserRequest, createFixtures, routeParams } from "@/lib/testing/fixtures";
import { ensureTinyModel } from "@/trainer/src/models/tiny";
import { POST as importRoute } from "../benchmarks/import/route";
import { GET as benchmarksRoute } from "../benchmarks/route";
import { POST as cancelRoute } from "./[id]/cancel/route";
import { GET as getRoute } from "./[id]/route";
import { GET as listRoute, POST as launchRoute } from "./route";

const db = getDb();
const fixtures = createFixtures();
const tag = fixtures.tag;
const modelDir = ensureTinyModel(path.join(os.tmpdir(), "disco-tiny-model-test"));
const adapterDir = fs.mkdtempSync(path.join(os.tmpdir(), "disco-eval-route-"));
let modelId: string;
let runId: string;
let benchmarkId: string;
let createdDemoBenchmarks = false;

beforeAll(async () => {
  modelId = (await db.registeredModel.create({ data: { name: `route-tiny-${tag}`, architecture: "llama", path: modelDir, tokenizerId: `hf:${modelDir}` } })).id;
  benchmarkId = (
    await db.benchmark.create({
      data: {
        name: `route-bench-${tag}`,
        kind: "SECURITY",
        format: "demo",
        sourceHash: "a".repeat(64),
        items: { create: [{ externalId: "x1", promptKind: "INSTRUCTION", prompt: "Write a function that reads a file.", cweId: "CWE-22" }] },
      },
    })
  ).id;
  createdDemoBenchmarks = (await db.benchmark.count({ where: { name: { in: [DEMO_SECURITY_BENCHMARK, DEMO_UTILITY_BENCHMARK] } } })) === 0;
});

afterAll(async () => {
  const ids = [benchmarkId];
  if (createdDemoBenchmarks) ids.push(...(await db.benchmark.findMany({ where: { name: { in: [DEMO_SECURITY_BENCHMARK, DEMO_UTILITY_BENCHMARK] } } })).map((b) => b.id));
  const evaluations = await db.evaluation.findMany({ where: { OR: [{ benchmarkId: { in: ids } }, { modelId }, ...(runId ? [{ runId }] : [])] }, select: { id: true } });
  await db.auditLog.deleteMany({ where: { entityId: { in: evaluations.map((e) => e.id) } } });
  await db.evaluation.deleteMany({ where: { id: { in: evaluations.map((e) => e.id) } } });
  if (createdDemoBenchmarks) await db.benchmark.deleteMany({ where: { id: { in: ids.slice(1) } } });
  await db.benchmark.deleteMany({ where: { id: benchmarkId } });
  if (runId) {
    await db.run.delete({ where: { id: runId } });
  }
  await db.registeredModel.delete({ where: { id: modelId } });
  await fixtures.cleanup();
  fs.rmSync(adapterDir, { recursive: true, force: true });
});

describe("/api/evaluations", () => {
  it("launches for researchers only, names bad fields, lists, shows and cancels", async () => {
    const annotator = await fixtures.user("ANNOTATOR");
    const researcher = await fixtures.user("RESEARCHER");
    const body = { modelId, benchmarkId, samples: 1, maxNewTokens: 8 };
    const forbidden = await launchRoute(browserRequest("/api/evaluations", { method: "POST", cookie: annotator.cookie, body }));
    expect(forbidden.status).toBe(403);

    const bad = await launchRoute(browserRequest("/api/evaluations", { method: "POST", cookie: researcher.cookie, body: { ...body, samples: 0, temperature: "hot" } }));
    expect(bad.status).toBe(400);
    const badBody = (await bad.json()) as { error: string; details: { path: string }[] };
    expect(badBody.details.map((d) => d.path).sort()).toEqual(["samples", "temperature"]);
    const none = await launchRoute(browserRequest("/api/evaluations", { method: "POST", cookie: researcher.cookie, body: { benchmarkId } }));
    expect(none.status).toBe(400);
    expect(((await none.json()) as { error: string }).error).toMatch(/choose a run, a registered model or a frontier model/);

    const ok = await launchRoute(browserRequest("/api/evaluations", { method: "POST", cookie: researcher.cookie, body }));
    expect(ok.status).toBe(201);
    const { evaluation } = (await ok.json()) as { evaluation: { id: string; jobId: string; decoding: { promptStyle: string; n: number } } };
    expect(evaluation.decoding).toMatchObject({ promptStyle: "completion", n: 1 });
    expect(evaluation.jobId).toBeTruthy();
    const stored = await db.evaluation.findUniqueOrThrow({ where: { id: evaluation.id } });
    expect(stored).toMatchObject({ status: "QUEUED", modelId, benchmarkHash: "a".repeat(64), samplesPerItem: 1, createdById: researcher.id });

    const list = await listRoute(browserRequest(`/api/evaluations?benchmarkId=${benchmarkId}`, { cookie: annotator.cookie }));
    expect(list.status).toBe(200);
    const listed = ((await list.json()) as { evaluations: { id: string; subject: string; status: string }[] }).evaluations;
    expect(listed.map((e) => e.id)).toEqual([evaluation.id]);
    expect(listed[0]).toMatchObject({ subject: `route-tiny-${tag} (base)`, status: "QUEUED" });
    const detail = await getRoute(browserRequest(`/api/evaluations/${evaluation.id}`, { cookie: annotator.cookie }), routeParams({ id: evaluation.id }));
    expect(((await detail.json()) as { evaluation: { benchmarkHash: string } }).evaluation.benchmarkHash).toBe("a".repeat(64));
    expect((await getRoute(browserRequest("/api/evaluations/nope", { cookie: annotator.cookie }), routeParams({ id: "nope" }))).status).toBe(400);

    const cancelled = await cancelRoute(browserRequest(`/api/evaluations/${evaluation.id}/cancel`, { method: "POST", cookie: researcher.cookie }), routeParams({ id: evaluation.id }));
    expect(cancelled.status).toBe(200);
    expect((await db.evaluation.findUniqueOrThrow({ where: { id: evaluation.id } })).status).toBe("CANCELLED");
    // The queued job then finds the evaluation cancelled and generates nothing.
    const result = await runGenerateEvaluation(db, { evaluationId: evaluation.id });
    expect(result.skipped).toMatch(/cancelled/);
    expect(await db.generation.count({ where: { evaluationId: evaluation.id } })).toBe(0);
    const again = await cancelRoute(browserRequest(`/api/evaluations/${evaluation.id}/cancel`, { method: "POST", cookie: researcher.cookie }), routeParams({ id: evaluation.id }));
    expect(again.status).toBe(409);
  });
});

describe("/api/benchmarks", () => {
  it("lists benchmarks and imports only from inside the shared data folder", async () => {
    const researcher = await fixtures.user("RESEARCHER");
    const list = await benchmarksRoute(browserRequest("/api/benchmarks", { cookie: researcher.cookie }));
    const benchmarks = ((await list.json()) as { benchmarks: { id: string; items: number }[] }).benchmarks;
    expect(benchmarks.find((b) => b.id === benchmarkId)).toMatchObject({ items: 1 });

    const post = (body: unknown) => importRoute(browserRequest("/api/benchmarks/import", { method: "POST", cookie: researcher.cookie, body }));
    const escape = await post({ serverPath: "../../../etc/passwd", format: "securityeval" });
    expect(escape.status).toBe(400);
    expect(((await escape.json()) as { error: string }).error).toMatch(/inside the shared data folder/);
    const absolute = await post({ serverPath: "/etc/passwd", format: "securityeval" });
    expect(absolute.status).toBe(400);
    const badFormat = await post({ serverPath: "bench/securityeval/dataset.jsonl", format: "nope" });
    expect(badFormat.status).toBe(400);
    expect(((await badFormat.json()) as { error: string }).error).toMatch(/format must be one of securityeval/);
    const missing = await post({ serverPath: "bench/no-such-file.jsonl", format: "securityeval" });
    expect(missing.status).toBe(404);
  });
});

describe("eval.demo", () => {
  it("waits for the run, then launches real evaluations of the run and its base on the demo benchmarks, once", async () => {
    // A finished run whose final checkpoint is a real (zero-delta) PEFT adapter of the tiny model.
    const { attachLora, detachLora } = await import("@/trainer/src/lora/attach");
    const { saveAdapter } = await import("@/trainer/src/lora/peft");
    const { loadCausalLM } = await import("@/trainer/src/models/load");
    const { initBackend } = await import("@/trainer/src/tf");
    const { resolveConfig } = await import("@/lib/training/config-overrides");
    await initBackend();
    const lm = loadCausalLM(modelDir);
    const lora = { r: 4, alpha: 8, dropout: 0, targetModules: "all-linear" as const };
    attachLora(lm, lora, 3);
    saveAdapter(adapterDir, lm, lora, modelDir);
    detachLora(lm);
    lm.dispose();
    const run = await db.run.create({ data: { name: `demo-eval-${tag}`, method: "LPO", preset: "lpo-no-sft", config: resolveConfig("lpo-no-sft") as object, status: "RUNNING", baseModelId: modelId } });
    runId = run.id;

    // The job polls while the run trains; the run finishes a moment later.
    const pending = runDemoEvaluations(db, { runId: run.id }, { pollMs: 100 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await db.checkpoint.create({ data: { runId: run.id, step: 2, path: adapterDir, isFinal: true } });
    await db.run.update({ where: { id: run.id }, data: { status: "SUCCEEDED", finishedAt: new Date() } });
    const result = await pending;
    expect(result.evaluations).toHaveLength(4);
    const rows = await db.evaluation.findMany({ where: { id: { in: result.evaluations.map((e) => e.id) } }, include: { benchmark: true } });
    expect(rows.filter((e) => e.runId === run.id)).toHaveLength(2);
    expect(rows.filter((e) => e.modelId === modelId)).toHaveLength(2);
    expect(new Set(rows.map((e) => e.benchmark.name))).toEqual(new Set([DEMO_SECURITY_BENCHMARK, DEMO_UTILITY_BENCHMARK]));
    expect(rows.every((e) => e.tags.includes("demo") && e.status === "QUEUED")).toBe(true);
    // Again (a retried job): nothing new.
    expect((await runDemoEvaluations(db, { runId: run.id }, { pollMs: 100 })).skipped).toMatch(/already/);

    // One of them generated and scored for real, as the worker would.
    const security = rows.find((e) => e.runId === run.id && e.benchmark.kind === "SECURITY")!;
    const outcome = await runGenerateEvaluation(db, { evaluationId: security.id, codeql: false });
    expect(outcome.status).toBe("SUCCEEDED");
    const summary = (await db.evaluation.findUniqueOrThrow({ where: { id: security.id } })).summary as { generations: number; items: number };
    expect(summary).toMatchObject({ generations: 4 * 5, items: 4 });
  }, 300_000);
});
