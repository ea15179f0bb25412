import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../db/client";
import { getLeaderboard } from "./get-leaderboard";
import { metricsFromSummary } from "./load";
import { leaderboardToLatex } from "./table";

const tag = crypto.randomBytes(4).toString("hex");
const created = { models: [] as string[], runs: [] as string[], benchmarks: [] as string[] };

describe("leaderboards from stored evaluations", () => {
  beforeAll(async () => {
    const db = getDb();
    const model = await db.registeredModel.create({ data: { name: `tiny-${tag}`, architecture: "llama", path: "/nonexistent", tokenizerId: "cl100k_base" } });
    created.models.push(model.id);
    const sft = await db.run.create({ data: { name: `sft-${tag}`, method: "SFT", preset: "sft", config: {}, status: "SUCCEEDED", baseModelId: model.id, tags: [tag] } });
    const lpo = await db.run.create({ data: { name: `lpo-${tag}`, method: "LPO", preset: "lpo", config: {}, status: "SUCCEEDED", parentRunId: sft.id, tags: [tag] } });
    const ablation = await db.run.create({
      data: { name: `abl-${tag}`, method: "LPO", preset: "lpo-no-regularization", config: {}, status: "SUCCEEDED", parentRunId: sft.id, tags: [tag] },
    });
    created.runs.push(ablation.id, lpo.id, sft.id);
    const security = await db.benchmark.create({ data: { name: `SecEval-${tag}`, kind: "SECURITY", format: "securityeval", sourceHash: "h1" } });
    const utility = await db.benchmark.create({ data: { name: `HumanEval-${tag}`, kind: "UTILITY", format: "humaneval", sourceHash: "h2" } });
    created.benchmarks.push(security.id, utility.id);
    const evaluation = (benchmarkId: string, summary: object, who: { runId?: string; modelId?: string }, status: "SUCCEEDED" | "FAILED" = "SUCCEEDED") =>
      db.evaluation.create({ data: { benchmarkId, ...who, decoding: { temperature: 0.4 }, samplesPerItem: 5, benchmarkHash: "h", status, summary, tags: [tag] } });
    await evaluation(security.id, { InS: 40, "I@100": 60 }, { modelId: model.id });
    await evaluation(security.id, { InS: 30, "I@100": 35 }, { runId: sft.id });
    await evaluation(security.id, { InS: 20, "I@100": 22.5 }, { runId: lpo.id });
    await evaluation(security.id, { InS: 25, "I@100": 30 }, { runId: ablation.id });
    await evaluation(security.id, { InS: 1, "I@100": 1 }, { runId: lpo.id }, "FAILED");
    await evaluation(utility.id, { "pass@1": 0.125, "pass@5": 0.25 }, { modelId: model.id });
    await evaluation(utility.id, { "pass@1": 0.1, "pass@5": 0.3 }, { runId: lpo.id });
  });

  afterAll(async () => {
    const db = getDb();
    await db.evaluation.deleteMany({ where: { benchmarkId: { in: created.benchmarks } } });
    for (const id of created.runs) await db.run.delete({ where: { id } });
    await db.benchmark.deleteMany({ where: { id: { in: created.benchmarks } } });
    await db.registeredModel.deleteMany({ where: { id: { in: created.models } } });
  });

  it("builds Table 1 with the base row, runs under their lineage's base model, ablations and failed evaluations left out", async () => {
    const { table } = await getLeaderboard(getDb(), { view: "table1", tag });
    expect(table.columns.map((column) => `${column.benchmark}/${column.metric.label}`)).toEqual([
      `SecEval-${tag}/InS`,
      `SecEval-${tag}/I@100`,
      `HumanEval-${tag}/P@1`,
      `HumanEval-${tag}/P@5`,
    ]);
    const rows = table.rows.map((row) => [row.baseModel, row.method, ...row.cells.map((cell) => cell.value)]);
    expect(rows).toEqual([
      [`tiny-${tag}`, "Base", 40, 60, 12.5, 25],
      [`tiny-${tag}`, "SFT", 30, 35, null, null],
      [`tiny-${tag}`, "LPO", 20, 22.5, 10, 30],
    ]);
    expect(table.rows[2]!.cells[0]).toMatchObject({ isBest: true, delta: -20 });
    expect(table.rows[2]!.cells[0]!.provenance).toMatchObject({ decoding: { temperature: 0.4 }, samplesPerItem: 5 });
    expect(leaderboardToLatex(table)).toContain(`tiny-${tag} & LPO & \\textbf{20.0} & \\textbf{22.5} & 10.0 & \\textbf{30.0} \\\\`);
  });

  it("shows ablations under their preset in Table 3", async () => {
    const { table } = await getLeaderboard(getDb(), { view: "table3", tag });
    expect(table.rows.map((row) => row.method)).toEqual(["Base", "LPO (paper)", "LPO without regularization"]);
  });

  it("reads pass@k fractions as percentages and ignores summaries it does not understand", () => {
    expect(metricsFromSummary({ "pass@1": 0.5, InS: 12 })).toEqual({ pass1: 50, ins: 12 });
    expect(metricsFromSummary({ InS: "high", "I@100": 4 })).toEqual({ i100: 4 });
    expect(metricsFromSummary({ InS: null, "I@100": null, "pass@1": 0.25, "pass@5": null })).toEqual({ pass1: 25 });
    expect(metricsFromSummary(null)).toEqual({});
  });
});
