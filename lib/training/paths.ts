// Where training files live: run directories (checkpoints) and built-in models, under the data folder that
// `npm start` uses (DISCO_DATA_DIR, default .data), so one setting moves all state together.
import path from "node:path";
import { dataDir } from "../db/resolve-database";

export function runsDir(): string {
  return path.join(dataDir(), "runs");
}

export function runDir(runId: string): string {
  return path.join(runsDir(), runId);
}

export function modelsDir(): string {
  return path.join(dataDir(), "models");
}

/** The built-in tiny llama checkpoint (our random initialisation, created on first start). */
export const TINY_MODEL_NAME = "tiny-llama";

export function tinyModelDir(): string {
  return path.join(modelsDir(), TINY_MODEL_NAME);
}
