// The training loop on a real tiny llama (wasm backend): every method learns a repeated batch, tensors stay flat,
// only LoRA moves, runs repeat exactly, a killed or cancelled run resumes to the same adapter with each metric step
// reported once, and cancellation lands within one step.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPreset, type TTrainConfig, type TTrainingMethod } from "../config";
import { attachLora, detachLora, loraVariables } from "../lora/attach";
import type { TMetricPoint } from "../metrics";
import { loadCausalLM } from "../models/load";
import { readSafetensors } from "../safetensors";
import { initBackend, tf } from "../tf";
import { findLatestCheckpoint, readTrainerState } from "./checkpoint";
import { trainLoop, type TTrainingHooks } from "./loop";
import type { TExample } from "./methods";
import { runOnExamples } from "./run";
import { tempDir, TEST_LLAMA, toyPairs, toySft, writeRandomLlama } from "./test-support";

let root: string;
let modelDir: string;
const PAIRS = toyPairs(4, TEST_LLAMA.vocab, 3);
const VAL_PAIRS = toyPairs(2, TEST_LLAMA.vocab, 99);
const SFT = toySft(4, TEST_LLAMA.vocab, 3);
const VAL_SFT = toySft(2, TEST_LLAMA.vocab, 99);

function testConfig(method: TTrainingMethod, overrides: Partial<TTrainConfig> = {}): TTrainConfig {
  const preset = getPreset(method === "lpo" ? "lpo" : method).config;
  return {
    ...preset,
    lora: { r: 4, alpha: 8, dropout: 0.1, targetModules: "all-linear" },
    optimizer: { ...preset.optimizer, learningRate: 2e-2, warmupRatio: 0 },
    effectiveBatchSize: 4,
    microBatchSize: 2,
    maxLength: 64,
    maxPromptLength: 16,
    maxSteps: 6,
    logEvery: 1,
    evalEvery: 0,
    checkpointEvery: 0,
    seed: 42,
    ...overrides,
  };
}

function examplesFor(method: TTrainingMethod): { train: TExample[]; val: TExample[] } {
  return method === "sft" ? { train: SFT, val: VAL_SFT } : { train: PAIRS, val: VAL_PAIRS };
}

function recorder(extra: Partial<TTrainingHooks> = {}): { points: TMetricPoint[]; hooks: TTrainingHooks } {
  const points: TMetricPoint[] = [];
  return { points, hooks: { onMetrics: (batch) => void points.push(...batch), ...extra } };
}

const series = (points: TMetricPoint[], name: string) => points.filter((p) => p.name === name);
/** Everything but wall-clock throughput and memory, which legitimately vary between runs. */
const deterministic = (points: TMetricPoint[]) => points.filter((p) => p.name !== "tokens_per_second" && !p.name.startsWith("memory/"));

function adapterOf(checkpointPath: string): Map<string, Float32Array> {
  const { tensors } = readSafetensors(path.join(checkpointPath, "adapter_model.safetensors"));
  return new Map([...tensors].map(([name, t]) => [name, t.data as Float32Array]));
}

function maxAdapterDiff(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  let worst = 0;
  for (const [name, values] of a) {
    const other = b.get(name)!;
    for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(values[i]! - other[i]!));
  }
  return worst;
}

beforeAll(async () => {
  await initBackend("wasm");
  root = tempDir("loop");
  modelDir = writeRandomLlama(path.join(root, "base"));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe.each(["sft", "dpo", "simpo", "lpo", "safecoder"] as const)("%s", (method) => {
  it("lowers the loss on a repeated batch, keeps tensors flat, moves every LoRA variable and no frozen one", async () => {
    const model = loadCausalLM(modelDir);
    const frozen = new Map([...model.namedWeights()].map(([name, w]) => [name, w.dataSync().slice()]));
    // The adapter's starting point: the same seed attaches the same A (and B = 0) to a twin model.
    const twin = loadCausalLM(modelDir);
    attachLora(twin, testConfig(method).lora, 42);
    const initial = new Map([...loraVariables(twin)].map(([name, v]) => [name, v.dataSync().slice()]));
    detachLora(twin);
    twin.dispose();

    const { points, hooks } = recorder();
    const { train, val } = examplesFor(method);
    const result = await trainLoop({
      model,
      runDir: path.join(root, `repeated-${method}`),
      config: testConfig(method, { evalEvery: 3 }),
      train,
      val,
      padTokenId: 0,
      backend: "wasm",
      baseModel: modelDir,
      parentAdapter: null,
      hooks,
    });
    expect(result).toMatchObject({ status: "succeeded", steps: 6, totalSteps: 6 });
    const loss = series(points, "loss").map((p) => p.value);
    expect(loss).toHaveLength(6);
    expect(loss[5]!).toBeLessThan(loss[0]! * 0.9);
    if (method === "dpo") expect(loss[0]).toBeCloseTo(Math.log(2), 5); // policy == reference at step 1: -log sigmoid(0)
    // Steps 2..6 hold exactly as many tensors as step 1 left (the burn-in step builds caches once).
    const tensors = series(points, "memory/tensors").map((p) => p.value);
    expect(new Set(tensors.slice(1)).size).toBe(1);
    expect(series(points, "eval/loss").map((p) => p.step)).toEqual([3, 6]);
    expect(series(points, "grad_norm").every((p) => p.value > 0)).toBe(true);

    for (const [name, variable] of loraVariables(model)) {
      const before = initial.get(name)!;
      const after = variable.dataSync();
      let moved = 0;
      for (let i = 0; i < after.length; i++) moved = Math.max(moved, Math.abs(after[i]! - before[i]!));
      expect(moved, `${name} moved`).toBeGreaterThan(0);
    }
    for (const [name, weight] of model.namedWeights()) {
      expect(Array.from(weight.dataSync()), `${name} frozen`).toEqual(Array.from(frozen.get(name)!));
    }
    detachLora(model);
    model.dispose();
  });
});

describe("runs", () => {
  it("report TRL's metric names, and repeat exactly under the same seed (dropout on)", async () => {
    const run = async (dir: string) => {
      const { points, hooks } = recorder();
      await runOnExamples({ runDir: path.join(root, dir), baseModelDir: modelDir, config: testConfig("lpo", { maxSteps: 3 }), ...examplesFor("lpo"), preferredBackend: "wasm", hooks });
      return points;
    };
    const first = await run("det-1");
    const second = await run("det-2");
    expect(deterministic(first)).toEqual(deterministic(second));
    expect(new Set(first.filter((p) => p.step === 1).map((p) => p.name))).toEqual(
      new Set([
        "loss", "grad_norm", "learning_rate", "epoch", "rewards/chosen", "rewards/rejected", "rewards/margins", "rewards/accuracies",
        "logps/chosen", "logps/rejected", "nll_loss", "mask_fraction/chosen", "mask_fraction/rejected", "regularizer",
        "tokens_per_second", "memory/bytes", "memory/tensors",
      ]),
    );
    expect(series(first, "epoch").map((p) => p.value)).toEqual([1, 2, 3]); // 4 pairs, batch 4: one epoch per step
  });

  it("resumes a killed run from its last checkpoint to the same adapter; each metric step reported once", async () => {
    const config = testConfig("dpo", { checkpointEvery: 2, evalEvery: 3 });
    const straight = recorder();
    const done = await runOnExamples({ runDir: path.join(root, "straight"), baseModelDir: modelDir, config, ...examplesFor("dpo"), hooks: straight.hooks });
    expect(done.checkpoint).toMatchObject({ step: 6, isFinal: true });
    expect(fs.readdirSync(path.join(root, "straight", "checkpoints")).sort()).toEqual(["step-2", "step-4", "step-6"]);

    // The worker dies while reporting step 5 (after the step-4 checkpoint): step 5 reached the database once already.
    const runDir = path.join(root, "killed");
    const killed = recorder({
      onMetrics: (batch) => {
        killed.points.push(...batch);
        if (batch[0]!.step === 5) throw new Error("worker killed");
      },
    });
    await expect(runOnExamples({ runDir, baseModelDir: modelDir, config, ...examplesFor("dpo"), hooks: killed.hooks })).rejects.toThrow("worker killed");
    expect(findLatestCheckpoint(runDir)?.step).toBe(4);
    const resumed = recorder();
    const resumeLogs: string[] = [];
    const result = await runOnExamples({
      runDir, baseModelDir: modelDir, config, ...examplesFor("dpo"), resume: true,
      hooks: { ...resumed.hooks, onLog: (_level, message) => void resumeLogs.push(message) },
    });
    expect(resumeLogs).toContain("reusing the reference model's log-probs from reference-logps.json");
    expect(result).toMatchObject({ status: "succeeded", steps: 6 });
    expect(series(resumed.points, "loss").map((p) => p.step)).toEqual([5, 6]);
    // The database keys points by (run, name, step): the union of both attempts is steps 1..6 once each, and the
    // recomputed step 5 carries the same values as the first attempt's.
    const union = new Map<string, TMetricPoint>();
    for (const p of deterministic([...killed.points, ...resumed.points])) {
      const key = `${p.name}@${p.step}`;
      if (union.has(key)) expect(p.value, key).toBeCloseTo(union.get(key)!.value, 6);
      union.set(key, p);
    }
    expect(deterministic(straight.points).map((p) => `${p.name}@${p.step}`).sort()).toEqual([...union.keys()].sort());
    for (const p of deterministic(straight.points)) expect(union.get(`${p.name}@${p.step}`)!.value, `${p.name}@${p.step}`).toBeCloseTo(p.value, 5);
    expect(maxAdapterDiff(adapterOf(done.checkpoint!.path), adapterOf(result.checkpoint!.path))).toBeLessThan(1e-6);
  });

  it("cancels within one step, checkpoints the last whole step, and a resume continues the metric window", async () => {
    // Four micro-batches per step; logging every 2 steps so the window cut by the cancel must survive the checkpoint.
    const config = testConfig("simpo", { microBatchSize: 1, logEvery: 2, maxSteps: 4 });
    const straight = recorder();
    const done = await runOnExamples({ runDir: path.join(root, "c-straight"), baseModelDir: modelDir, config, ...examplesFor("simpo"), hooks: straight.hooks });

    const runDir = path.join(root, "cancelled");
    let polls = 0;
    let pollsAfterStop = 0;
    let stopped = false;
    const first = recorder({
      // Asked before every micro-batch: the stop comes in the middle of step 4 (after 3 steps and 1 micro-batch).
      shouldStop: () => {
        polls += 1;
        if (stopped) pollsAfterStop += 1;
        stopped = polls > 13;
        return stopped;
      },
    });
    const cancelled = await runOnExamples({ runDir, baseModelDir: modelDir, config, ...examplesFor("simpo"), hooks: first.hooks });
    expect(cancelled).toMatchObject({ status: "cancelled", steps: 3 });
    expect(pollsAfterStop).toBe(0); // no micro-batch ran after the stop
    expect(cancelled.checkpoint).toMatchObject({ step: 3, isFinal: false });
    expect(readTrainerState(cancelled.checkpoint!.path).window.steps).toBe(1); // step 3 awaits its log at step 4

    const second = recorder();
    const resumed = await runOnExamples({ runDir, baseModelDir: modelDir, config, ...examplesFor("simpo"), resume: true, hooks: second.hooks });
    expect(resumed).toMatchObject({ status: "succeeded", steps: 4 });
    const all = deterministic([...first.points, ...second.points]);
    expect(series(all, "loss").map((p) => p.step)).toEqual([2, 4]);
    expect(all.map((p) => [p.name, p.step, p.value])).toEqual(deterministic(straight.points).map((p) => [p.name, p.step, expect.closeTo(p.value, 5)]));
    expect(maxAdapterDiff(adapterOf(done.checkpoint!.path), adapterOf(resumed.checkpoint!.path))).toBeLessThan(1e-6);
  });

  it("refuses to resume under a different config", async () => {
    const runDir = path.join(root, "mismatch");
    await runOnExamples({ runDir, baseModelDir: modelDir, config: testConfig("simpo", { maxSteps: 2, checkpointEvery: 1 }), ...examplesFor("simpo"), hooks: {} });
    await expect(
      runOnExamples({ runDir, baseModelDir: modelDir, config: testConfig("simpo", { maxSteps: 2, checkpointEvery: 1, seed: 7 }), ...examplesFor("simpo"), resume: true, hooks: {} }),
    ).rejects.toThrow(/different training config/);
  });

  it("SFT -> LPO: merges the SFT run's adapter into the base, then trains a fresh LoRA", async () => {
    const sft = await runOnExamples({ runDir: path.join(root, "sft"), baseModelDir: modelDir, config: testConfig("sft", { maxSteps: 2 }), ...examplesFor("sft"), hooks: {} });
    const logs: string[] = [];
    const fromBase = recorder();
    const fromSft = recorder({ onLog: (_level, message) => void logs.push(message) });
    const lpo = testConfig("lpo", { maxSteps: 1 });
    await runOnExamples({ runDir: path.join(root, "lpo-base"), baseModelDir: modelDir, config: lpo, ...examplesFor("lpo"), hooks: fromBase.hooks });
    const result = await runOnExamples({
      runDir: path.join(root, "lpo-sft"),
      baseModelDir: modelDir,
      parentAdapterDir: sft.checkpoint!.path,
      config: lpo,
      ...examplesFor("lpo"),
      hooks: fromSft.hooks,
    });
    expect(result.status).toBe("succeeded");
    expect(logs.some((line) => line.startsWith("merged the parent adapter"))).toBe(true);
    // The SFT stage raised the likelihood of the chosen responses the LPO run starts from.
    expect(series(fromSft.points, "nll_loss")[0]!.value).toBeLessThan(series(fromBase.points, "nll_loss")[0]!.value);
    expect(readTrainerState(result.checkpoint!.path).parentAdapter).toBe(path.resolve(sft.checkpoint!.path));
  });

  it("leaks no tensors over a whole run", async () => {
    const before = tf.memory().numTensors;
    await runOnExamples({ runDir: path.join(root, "leak"), baseModelDir: modelDir, config: testConfig("safecoder", { maxSteps: 2, evalEvery: 1 }), ...examplesFor("safecoder"), hooks: {} });
    expect(tf.memory().numTensors).toBe(before);
  });
});
