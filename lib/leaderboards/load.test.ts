import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../db/client";
import { freezeVersion } from "../datasets/versions/freeze-version";
import { createTestDataset } from "../datasets/versions/testing";
import { getLeaderboard } from "./get-leaderboard";
import { metricsFromSummary } from "./load";
import { leaderboardToCsv, leaderboardToLatex } from "./table";

const tag = crypto.randomBytes(4).toString("hex");
const created = { models: [] as string[], runs: [] as string[], benchmarks: [] as string[] };
let dataset: Awaited<ReturnType<typeof createTestDataset>>;

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
    // Table 5: a run trained on a version where one of the two analyzed pairs still has a (non-duplicate) secure finding.
    dataset = await createTestDataset([{}, {}, {}]);
    const revisions = await db.pairRevision.findMany({ where: { pairId: { in: dataset.pairIds } }, orderBy: { createdAt: "asc" } });
    const finding = (pairRevisionId: string, duplicateOfId: string | null) =>
      db.finding.create({
        data: { pairRevisionId, tool: "bandit", ruleId: "B602", ruleName: "subprocess_popen_with_shell_equals_true", severity: "HIGH", side: "SECURE", startLine: 1, endLine: 1, message: "shell", duplicateOfId },
      });
    await db.pairRevision.updateMany({ where: { id: { in: [revisions[0]!.id, revisions[1]!.id] } }, data: { analyzedAt: new Date() } });
    const counted = await finding(revisions[0]!.id, null);
    await finding(revisions[1]!.id, counted.id); // a duplicate alone does not make code flagged
    await db.finding.create({ data: { pairRevisionId: revisions[1]!.id, tool: "bandit", ruleId: "B602", ruleName: "x", severity: "HIGH", side: "INSECURE", startLine: 1, endLine: 1, message: "insecure side" } });
    const version = await freezeVersion(db, { datasetId: dataset.id, name: "v", description: "", selection: {}, split: { train: 1, val: 0, test: 0, seed: 1 }, excludeCwes: [], createdById: null });
    const refined = await db.run.create({
      data: { name: `refine-${tag}`, method: "LPO", preset: "lpo", config: {}, status: "SUCCEEDED", parentRunId: sft.id, datasetVersionId: version.id, tags: [tag, "refinement:1"] },
    });
    created.runs.push(refined.id, ablation.id, lpo.id, sft.id);
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
    await evaluation(security.id, { InS: 15, "I@100": 18 }, { runId: refined.id });
  });

  afterAll(async () => {
    const db = getDb();
    await db.evaluation.deleteMany({ where: { benchmarkId: { in: created.benchmarks } } });
    for (const id of created.runs) await db.run.delete({ where: { id } });
    await db.benchmark.deleteMany({ where: { id: { in: created.benchmarks } } });
    await db.registeredModel.deleteMany({ where: { id: { in: created.models } } });
    await dataset.cleanup();
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

  it("adds the training data's flagged share to Table 5, in the table and its exports", async () => {
    const { table } = await getLeaderboard(getDb(), { view: "table5", tag });
    expect(table.extraColumns).toEqual(["Flagged %"]);
    expect(table.rows.map((row) => [row.method, ...row.extras, row.cells[0]!.value])).toEqual([
      ["Base", null, 40],
      ["LPO", 50, 15],
    ]);
    expect(leaderboardToLatex(table)).toContain(`tiny-${tag} & LPO & 50.0 & \\textbf{15.0}`);
    expect(leaderboardToCsv(table).split("\n")[0]).toBe(`Model,Method,Flagged %,SecEval-${tag} InS,SecEval-${tag} I@100,HumanEval-${tag} P@1,HumanEval-${tag} P@5`);
  });

  it("reads pass@k fractions as percentages and ignores summaries it does not understand", () => {
    expect(metricsFromSummary({ "pass@1": 0.5, InS: 12 })).toEqual({ pass1: 50, ins: 12 });
    expect(metricsFromSummary({ InS: "high", "I@100": 4 })).toEqual({ i100: 4 });
    expect(metricsFromSummary({ InS: null, "I@100": null, "pass@1": 0.25, "pass@5": null })).toEqual({ pass1: 25 });
    expect(metricsFromSummary(null)).toEqual({});
  });
});
