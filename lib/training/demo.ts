// The training part of the demo: the built-in tiny model registered as a model (created under the data folder on
// first start), a frozen version of the demo dataset, and one small LPO run of the tiny model that the worker trains
// right after the first start, so the experiment pages have a finished run with curves and checkpoints to show.
import path from "node:path";
import type { Db } from "../db/client";
import { freezeVersion } from "../datasets/versions/freeze-version";
import { ensureTinyModel, TINY_SHAPE } from "../../trainer/src/models/tiny";
import { readSafetensorsHeader } from "./adapter-files";
import { launchRun, type TLaunchedRun } from "./launch";
import { TINY_MODEL_NAME, tinyModelDir } from "./paths";

/** Small enough for two shared cores in a minute or two; the learning rate is raised so the curves visibly move. */
export const DEMO_RUN_OVERRIDES = {
  maxSteps: 16,
  effectiveBatchSize: 4,
  microBatchSize: 2,
  // Long enough that the changed code (after the long reasoning R) survives truncation: at 192 tokens every demo
  // pair lost its masked tokens, at 512 none loses m+ and 5 of 49 lose m- (counted with the tiny tokenizer).
  maxLength: 512,
  maxPromptLength: 96,
  logEvery: 1,
  evalEvery: 4,
  checkpointEvery: 4,
  lora: { r: 8, alpha: 16 },
  optimizer: { learningRate: 5e-4 },
};

/** Parameters of a checkpoint, summed from its safetensors header (exact, and reads no weights). */
function parameterCount(dir: string): bigint {
  const header = readSafetensorsHeader(path.join(dir, "model.safetensors"));
  return Object.values(header).reduce((sum, tensor) => sum + BigInt(tensor.shape.reduce((a, b) => a * b, 1)), 0n);
}

/** Creates the tiny checkpoint if needed and registers it (idempotent; the path follows DISCO_DATA_DIR). */
export async function registerTinyModel(db: Db): Promise<{ id: string; path: string }> {
  const dir = ensureTinyModel(tinyModelDir());
  const data = {
    architecture: "llama",
    path: dir,
    tokenizerId: `hf:${dir}`,
    parameters: parameterCount(dir),
    description: `Built-in tiny llama (${TINY_SHAPE.layers} layers, hidden ${TINY_SHAPE.hidden}, vocab ${TINY_SHAPE.vocabSize}) with our own random initialisation and a BPE tokenizer trained on the demo pairs; for demos and tests, it learns nothing useful.`,
  };
  const model = await db.registeredModel.upsert({ where: { name: TINY_MODEL_NAME }, create: { name: TINY_MODEL_NAME, ...data }, update: data });
  return { id: model.id, path: dir };
}

/** A frozen version of the demo dataset (all its pairs, the paper's split) and one queued demo LPO run. */
export async function seedTrainingDemo(db: Db, datasetName: string): Promise<TLaunchedRun> {
  const model = await registerTinyModel(db);
  const dataset = await db.dataset.findUniqueOrThrow({ where: { name: datasetName }, select: { id: true } });
  const existing = await db.datasetVersion.findFirst({ where: { datasetId: dataset.id }, orderBy: { version: "asc" }, select: { id: true } });
  const versionId =
    existing?.id ?? (await freezeVersion(db, { datasetId: dataset.id, name: "demo-v1", description: "Every demo pair, frozen for the demo training run", createdById: null })).id;
  return launchRun(
    db,
    { presetId: "lpo-no-sft", datasetVersionId: versionId, baseModelId: model.id, name: "Demo: LPO on the tiny model", tags: ["demo"], overrides: DEMO_RUN_OVERRIDES },
    { createdById: null },
  );
}
