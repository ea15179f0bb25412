// The demo's training part: the tiny model is created under the data folder and registered once (idempotent, with
// its exact parameter count), and seeding freezes a demo version and queues one small LPO run of it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../db/client";
import { createTestDataset } from "../datasets/versions/testing";
import { TINY_SHAPE } from "../../trainer/src/models/tiny";
import { DEMO_RUN_OVERRIDES, registerTinyModel, seedTrainingDemo } from "./demo";
import { TINY_MODEL_NAME } from "./paths";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "disco-demo-test-"));
process.env.DISCO_DATA_DIR = dataDir;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("training demo seed", () => {
  it("registers the tiny model under the data folder, seeds a version and a small queued LPO run", async () => {
    const db = getDb();
    const existed = await db.registeredModel.findUnique({ where: { name: TINY_MODEL_NAME } });
    const data = await createTestDataset([{}, {}, {}, {}]);
    cleanups.push(async () => {
      await db.run.deleteMany({ where: { datasetVersion: { datasetId: data.id } } });
      if (!existed) await db.registeredModel.deleteMany({ where: { name: TINY_MODEL_NAME } });
      else await db.registeredModel.update({ where: { name: TINY_MODEL_NAME }, data: { path: existed.path, tokenizerId: existed.tokenizerId } });
      await data.cleanup();
    });

    const first = await registerTinyModel(db);
    const again = await registerTinyModel(db);
    expect(again.id).toBe(first.id);
    expect(first.path).toBe(path.join(dataDir, "models", TINY_MODEL_NAME));
    expect(fs.existsSync(path.join(first.path, "tokenizer.json"))).toBe(true);
    const model = await db.registeredModel.findUniqueOrThrow({ where: { id: first.id } });
    // Counted by hand from the shape: embeddings and untied head, per layer q/k/v/o, gate/up/down and two norms, final norm.
    const { vocabSize: v, hidden: h, intermediate: m, layers: l } = TINY_SHAPE;
    expect(model).toMatchObject({ architecture: "llama", tokenizerId: `hf:${first.path}`, parameters: BigInt(2 * v * h + l * (4 * h * h + 3 * h * m + 2 * h) + h) });

    const run = await seedTrainingDemo(db, data.name);
    expect(run.config).toMatchObject({ method: "lpo", preset: "lpo-no-sft", maxSteps: DEMO_RUN_OVERRIDES.maxSteps, microBatchSize: 2, lora: { r: 8, alpha: 16 } });
    const row = await db.run.findUniqueOrThrow({ where: { id: run.id }, include: { datasetVersion: true } });
    expect(row).toMatchObject({ status: "QUEUED", baseModelId: first.id, tags: ["demo"] });
    expect(row.datasetVersion).toMatchObject({ name: "demo-v1", pairCount: 4 });
    // Seeding again reuses the version instead of freezing another.
    await seedTrainingDemo(db, data.name);
    expect(await db.datasetVersion.count({ where: { datasetId: data.id } })).toBe(1);
  });
});
