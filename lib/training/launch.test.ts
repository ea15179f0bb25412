// Launch validation against the real database: every bad input is refused with a message naming the problem (and
// the field), and a good launch writes a QUEUED run with the merged config and queues its train.run job.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../db/client";
import { getJob } from "../jobs/enqueue";
import { getPreset } from "../../trainer/src/config";
import { parseSetArgs, resolveConfig } from "./config-overrides";
import { TrainingError } from "./errors";
import { launchRun } from "./launch";
import { createTrainingFixture } from "./testing";

let fixture: Awaited<ReturnType<typeof createTrainingFixture>>;
beforeAll(async () => {
  fixture = await createTrainingFixture({ pairs: 4 });
});
afterAll(async () => {
  await fixture?.cleanup();
});

async function launchError(input: Parameters<typeof launchRun>[1]): Promise<TrainingError> {
  const error = await launchRun(getDb(), input, { createdById: null }).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TrainingError);
  return error as TrainingError;
}

describe("resolveConfig / parseSetArgs", () => {
  it("merges overrides onto the preset and validates the whole", () => {
    const config = resolveConfig("lpo", { loss: { beta: 5 }, lora: { r: 8 } });
    expect(config.loss).toMatchObject({ beta: 5, gamma: 5.4, alpha: 0.05 });
    expect(config.lora).toMatchObject({ r: 8, alpha: 32 });
    expect(config.optimizer).toEqual(getPreset("lpo").config.optimizer);
  });
  it("names the field of every bad or unknown setting", () => {
    const error = (() => {
      try {
        resolveConfig("lpo", { loss: { beta: -1, nonsense: 1 }, microBatchSize: 5 });
      } catch (caught) {
        return caught as TrainingError;
      }
    })()!;
    expect(error).toBeInstanceOf(TrainingError);
    const paths = error.details!.map((detail) => detail.path);
    expect(paths).toContain("loss.beta");
    expect(paths).toContain("loss.nonsense");
    expect(paths).toContain("microBatchSize"); // 32 is not a multiple of 5
    expect(() => resolveConfig("lpo", { method: "sft" })).toThrow(/comes from the preset/);
  });
  it("parses --set pairs into nested overrides and refuses unknown keys", () => {
    expect(parseSetArgs(["loss.beta=10", "lora.r=8", "includeReasoning=false", "lora.targetModules=q_proj,v_proj", "loss.lpoForm=reference"])).toEqual({
      loss: { beta: 10, lpoForm: "reference" },
      lora: { r: 8, targetModules: ["q_proj", "v_proj"] },
      includeReasoning: false,
    });
    expect(() => parseSetArgs(["loss.betta=1"])).toThrow(/unknown setting "loss.betta"/);
    expect(() => parseSetArgs(["beta"])).toThrow(/key=value/);
  });
});

describe("launchRun", () => {
  it("refuses an unknown preset, dataset version, model, a bad override and a version without training items", async () => {
    expect((await launchError({ presetId: "lpo-turbo", datasetVersionId: fixture.versionId, baseModelId: fixture.modelId })).message).toMatch(/Unknown preset "lpo-turbo"/);
    const noVersion = await launchError({ presetId: "lpo", datasetVersionId: "00000000-0000-4000-8000-000000000000", baseModelId: fixture.modelId });
    expect(noVersion.status).toBe(404);
    expect(noVersion.details?.[0]?.path).toBe("datasetVersionId");
    const noModel = await launchError({ presetId: "lpo", datasetVersionId: fixture.versionId, baseModelId: "00000000-0000-4000-8000-000000000000" });
    expect(noModel.message).toMatch(/no registered model/);
    expect((await launchError({ presetId: "lpo", datasetVersionId: fixture.versionId })).message).toMatch(/base model or a parent run/);
    const bad = await launchError({ presetId: "lpo", datasetVersionId: fixture.versionId, baseModelId: fixture.modelId, overrides: { lora: { r: 0 } } });
    expect(bad.details).toEqual([expect.objectContaining({ path: "lora.r" })]);
    expect(await getDb().run.count({ where: { datasetVersionId: fixture.versionId } })).toBe(0);

    const testOnly = await createTrainingFixture({ pairs: 2, split: { train: 0, val: 0, test: 1 } });
    try {
      expect((await launchError({ presetId: "sft", datasetVersionId: testOnly.versionId, baseModelId: testOnly.modelId })).message).toMatch(/has no training items/);
    } finally {
      await testOnly.cleanup();
    }
  });

  it("refuses a parent run that has not succeeded", async () => {
    const db = getDb();
    const parent = await db.run.create({ data: { name: "unfinished sft", method: "SFT", config: {}, status: "RUNNING", baseModelId: fixture.modelId, datasetVersionId: fixture.versionId } });
    const error = await launchError({ presetId: "lpo", datasetVersionId: fixture.versionId, parentRunId: parent.id });
    expect(error.message).toMatch(/has not succeeded/);
    expect(error.details?.[0]?.path).toBe("parentRunId");
  });

  it("writes a QUEUED run with the merged config and queues a train.run job; an SFT-stage preset from a base model says so", async () => {
    const db = getDb();
    const run = await launchRun(db, { presetId: "lpo", datasetVersionId: fixture.versionId, baseModelId: fixture.modelId, tags: ["smoke", "smoke"], overrides: { maxSteps: 3 } }, { createdById: null });
    expect(run.warnings.join(" ")).toMatch(/starts from the base model/);
    const row = await db.run.findUniqueOrThrow({ where: { id: run.id }, include: { logs: true } });
    expect(row).toMatchObject({ status: "QUEUED", method: "LPO", preset: "lpo", tags: ["smoke"], baseModelId: fixture.modelId, datasetVersionId: fixture.versionId });
    expect((row.config as { maxSteps: number; loss: { beta: number } }).maxSteps).toBe(3);
    expect((row.config as { loss: { beta: number } }).loss.beta).toBe(10);
    expect(row.logs.map((log) => log.level)).toContain("warn");
    const job = await getJob(db, run.jobId);
    expect(job).toMatchObject({ queue: "train", kind: "train.run" });

    const noWarning = await launchRun(db, { presetId: "lpo-no-sft", datasetVersionId: fixture.versionId, baseModelId: fixture.modelId }, { createdById: null });
    expect(noWarning.warnings).toEqual([]);
  });
});
