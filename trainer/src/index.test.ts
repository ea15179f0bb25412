// The public entry end to end: dataset-version records -> the model's tokenizer and lib/masks' real mask engine ->
// a short LPO run of a tiny byte-level llama on wasm, with checkpoints and metrics reported through the hooks.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeTokenMasks } from "../../lib/masks/token-masks";
import { getPreset } from "./config";
import { readAdapterConfig, runTraining, type TCheckpointInfo, type TMetricPoint, type TTrainingRecord } from "./index";
import { tempDir, writeRandomLlama } from "./train/test-support";

let root: string;
let modelDir: string;
// Bytes shifted by 3 (0 pad, 1 bos, 2 eos), as a byte-level tokenizer would number them.
const byteTokenizer = { encodeIds: (text: string) => [...Buffer.from(text, "utf8")].map((b) => b + 3) };

function record(i: number, split: TTrainingRecord["split"]): TTrainingRecord {
  return {
    id: `r${i}`,
    instruction: `Read value ${i}.`,
    reasoning: "",
    secureCode: `x = int(s${i})`,
    insecureCode: `x = eval(s${i})`,
    cweId: "CWE-95",
    language: "python",
    split,
  };
}

beforeAll(() => {
  root = tempDir("index");
  modelDir = writeRandomLlama(path.join(root, "bytes"), { vocab: 260, hidden: 16, layers: 1, heads: 2, kvHeads: 1, intermediate: 32 });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("runTraining", () => {
  it("trains LPO from records with real masks, reporting metrics, logs and a final PEFT checkpoint", async () => {
    const config = {
      ...getPreset("lpo").config,
      includeReasoning: false,
      lora: { r: 2, alpha: 4, dropout: 0, targetModules: ["q_proj", "v_proj"] },
      effectiveBatchSize: 2,
      microBatchSize: 2,
      maxLength: 128,
      maxPromptLength: 32,
      maxSteps: 2,
      evalEvery: 1,
      checkpointEvery: 1,
    };
    const points: TMetricPoint[] = [];
    const logs: string[] = [];
    const checkpoints: TCheckpointInfo[] = [];
    const result = await runTraining({
      runDir: path.join(root, "run"),
      baseModelDir: modelDir,
      config,
      train: [record(1, "train"), record(2, "train"), record(3, "train")],
      val: [record(4, "val")],
      tokenizer: byteTokenizer,
      computeMasks: computeTokenMasks,
      preferredBackend: "wasm",
      hooks: {
        onMetrics: (batch) => void points.push(...batch),
        onLog: (_level, message) => void logs.push(message),
        onCheckpoint: (info) => void checkpoints.push(info),
      },
    });
    expect(result).toMatchObject({ status: "succeeded", steps: 2, totalSteps: 2, backend: "wasm" });
    // The preamble makes every prompt longer than 128 bytes: each keeps its last 32 (TRL-style left truncation).
    expect(logs[0]).toMatch(/^3 training and 1 validation examples \(3 truncated\); 0 pairs with an empty m\+, 0 with an empty m-/);
    expect(checkpoints.map((c) => [c.step, c.isFinal])).toEqual([[1, false], [2, true]]);
    expect(checkpoints[1]!.sizeBytes).toBeGreaterThan(0);
    expect(readAdapterConfig(checkpoints[1]!.path)).toMatchObject({ r: 2, lora_alpha: 4, target_modules: ["q_proj", "v_proj"], base_model_name_or_path: path.resolve(modelDir) });
    // Only the changed code tokens are masked: "int" vs "eval" is a small share of each response.
    const fraction = points.find((p) => p.name === "mask_fraction/chosen" && p.step === 1)!.value;
    expect(fraction).toBeGreaterThan(0);
    expect(fraction).toBeLessThan(0.5);
    expect(points.filter((p) => p.name === "eval/loss").map((p) => p.step)).toEqual([1, 2]);
  });

  it("names a malformed record and a token outside the model's vocabulary", async () => {
    const base = { runDir: path.join(root, "bad"), baseModelDir: modelDir, config: { ...getPreset("simpo").config, maxSteps: 1 }, val: [], computeMasks: computeTokenMasks, hooks: {} };
    await expect(runTraining({ ...base, train: [{ ...record(1, "train"), secureCode: "" }], tokenizer: byteTokenizer })).rejects.toThrow(/train records: 0\.secureCode/);
    const wide = { encode: (text: string) => [...Buffer.from(text)].map((b) => b + 1000) };
    await expect(runTraining({ ...base, train: [record(1, "train")], tokenizer: wide })).rejects.toThrow(/token id \d+ outside the model's vocabulary \(size 260\)/);
  });
});
