// The per-CWE chart's data (Figure 2) and the shared-data path rule, on the real database.
import crypto from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../db/client";
import { loadPerCweChart, resolveSharedDataPath, sharedDataDir } from "./queries";
import type { TEvaluationSummary } from "./summary";

const db = getDb();
const tag = crypto.randomBytes(4).toString("hex");
let benchmarkId: string;
let modelId: string;

function summary(perCwe: Record<string, number>): TEvaluationSummary {
  const issues = Object.values(perCwe).reduce((a, b) => a + b, 0);
  return { generations: 10, items: 2, valid: 10, invalid: 0, insecure: issues > 0 ? 1 : 0, issues, InS: 10, "I@100": issues * 10, "pass@1": null, "pass@5": null, passed: null, perCwe, tools: {}, scoredAt: new Date().toISOString() };
}

beforeAll(async () => {
  benchmarkId = (await db.benchmark.create({ data: { name: `cwe-chart-${tag}`, kind: "SECURITY", format: "demo", sourceHash: "b".repeat(64) } })).id;
  modelId = (await db.registeredModel.create({ data: { name: `cwe-model-${tag}`, architecture: "llama", path: "/nonexistent", tokenizerId: "cl100k_base" } })).id;
  const base = { benchmarkId, decoding: {}, samplesPerItem: 5, benchmarkHash: "b".repeat(64) };
  // An older evaluation of the same model is superseded by the newer one; unfinished ones do not count.
  await db.evaluation.create({ data: { ...base, modelId, status: "SUCCEEDED", summary: summary({ "CWE-1": 99 }) as object, createdAt: new Date(Date.now() - 60_000) } });
  await db.evaluation.create({ data: { ...base, modelId, status: "SUCCEEDED", summary: summary({ "CWE-78": 3, "CWE-89": 1 }) as object } });
  await db.evaluation.create({ data: { ...base, frontierModel: "gpt-x", status: "SUCCEEDED", summary: summary({ "CWE-89": 4, "CWE-22": 1 }) as object } });
  await db.evaluation.create({ data: { ...base, frontierModel: "gpt-y", status: "RUNNING" } });
});

afterAll(async () => {
  await db.evaluation.deleteMany({ where: { benchmarkId } });
  await db.benchmark.delete({ where: { id: benchmarkId } });
  await db.registeredModel.delete({ where: { id: modelId } });
});

describe("loadPerCweChart", () => {
  it("has one series per evaluated model (latest evaluation) and CWEs by total issues", async () => {
    const chart = await loadPerCweChart(db, { benchmarkId });
    expect(chart.benchmarkId).toBe(benchmarkId);
    expect(chart.series.map((s) => [s.label, s.total])).toEqual([
      ["gpt-x", 5],
      [`cwe-model-${tag} (base)`, 4],
    ]);
    // CWE-89: 4 + 1 = 5, CWE-78: 3, CWE-22: 1; the superseded CWE-1 is not there.
    expect(chart.rows.map((r) => r.cwe)).toEqual(["CWE-89", "CWE-78", "CWE-22"]);
    const [frontier, model] = chart.series;
    expect(chart.rows[0]).toMatchObject({ [frontier!.key]: 4, [model!.key]: 1 });
    expect(chart.rows[2]).toMatchObject({ [frontier!.key]: 1, [model!.key]: 0 });
    expect((await loadPerCweChart(db, { benchmarkId, top: 1 })).rows.map((r) => r.cwe)).toEqual(["CWE-89"]);
  });
});

describe("resolveSharedDataPath", () => {
  it("stays inside the shared data folder", () => {
    expect(resolveSharedDataPath("bench/securityeval/dataset.jsonl")).toBe(path.join(sharedDataDir(), "bench/securityeval/dataset.jsonl"));
    expect(resolveSharedDataPath("../shared/data/bench/x.jsonl")).toBe(path.join(sharedDataDir(), "bench/x.jsonl"));
    expect(() => resolveSharedDataPath("../../etc/passwd")).toThrow(/inside the shared data folder/);
    expect(() => resolveSharedDataPath("/etc/passwd")).toThrow(/relative to the shared data folder/);
  });
});
