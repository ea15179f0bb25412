// LoRA on a real (tiny, random) llama on the wasm backend: attachment, PEFT layout on disk, load, merge.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planFromConfig } from "../models/architectures";
import { CausalLM } from "../models/causal-lm";
import { loadCausalLM } from "../models/load";
import { createRng, randomNormalArray } from "../nn/random";
import type { ICausalLM } from "../models/types";
import { readSafetensors } from "../safetensors";
import { initBackend, tf } from "../tf";
import { tempDir, TEST_LLAMA, writeRandomLlama } from "../train/test-support";
import { attachLora, attachedAdapters, detachLora, loraVariables, mergeLora, selectTargets, withAdaptersDisabled } from "./attach";
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, loadAdapter, readAdapterConfig, saveAdapter } from "./peft";

const LORA = { r: 4, alpha: 8, dropout: 0.1, targetModules: "all-linear" as const };
let root: string;
let modelDir: string;
const ids = () => tf.tensor2d([[1, 5, 9, 12, 30, 7], [3, 3, 40, 2, 0, 0]], [2, 6], "int32");
const mask = () => tf.tensor2d([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0]], [2, 6], "float32");

function logits(model: ICausalLM): Float32Array {
  return tf.tidy(() => model.forward(ids(), { training: false, attentionMask: mask() }).dataSync() as Float32Array);
}

/** Gives every B random values so an adapter actually changes the model (a fresh B is zero). */
function randomizeB(model: ICausalLM, seed: number): void {
  let k = 0;
  for (const lora of attachedAdapters(model).values()) {
    tf.tidy(() => lora.b.assign(tf.randomNormal(lora.b.shape, 0, 0.3, "float32", seed + k++)));
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

beforeAll(async () => {
  await initBackend("wasm");
  root = tempDir("lora");
  modelDir = writeRandomLlama(path.join(root, "base"));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("attachLora", () => {
  it("adapts every linear except the output head, initialises A like PEFT and B to zero, and freezes the base", () => {
    const model = loadCausalLM(modelDir);
    const adapters = attachLora(model, LORA, 42);
    // llama: q, k, v, o, gate, up, down per layer; lm_head is left out by "all-linear".
    expect(adapters.size).toBe(TEST_LLAMA.layers * 7);
    expect([...adapters.keys()].some((p) => p.includes("lm_head"))).toBe(false);
    for (const [modulePath, lora] of adapters) {
      const linear = model.linears().get(modulePath)!;
      expect(lora.a.shape).toEqual([LORA.r, linear.inFeatures]);
      expect(lora.b.shape).toEqual([linear.outFeatures, LORA.r]);
      expect(lora.scale).toBe(2);
      expect(lora.a.trainable && lora.b.trainable).toBe(true);
      const a = lora.a.dataSync();
      const bound = 1 / Math.sqrt(linear.inFeatures); // kaiming_uniform(a = sqrt(5)) bound
      expect(Math.max(...Array.from(a, Math.abs))).toBeLessThanOrEqual(bound);
      expect(Math.max(...Array.from(a, Math.abs))).toBeGreaterThan(bound / 2);
      expect(Array.from(lora.b.dataSync()).every((v) => v === 0)).toBe(true);
    }
    for (const weight of model.namedWeights().values()) expect(weight.trainable).toBe(false);
    expect(loraVariables(model).size).toBe(2 * adapters.size);
    detachLora(model);
    model.dispose();
  });

  it("is seeded: the same seed gives the same A, another seed another", () => {
    const first = loadCausalLM(modelDir);
    const second = loadCausalLM(modelDir);
    attachLora(first, LORA, 42);
    attachLora(second, LORA, 42);
    const a1 = [...loraVariables(first).values()][0]!.dataSync();
    expect(maxAbsDiff(a1, [...loraVariables(second).values()][0]!.dataSync())).toBe(0);
    detachLora(second);
    attachLora(second, LORA, 43);
    expect(maxAbsDiff(a1, [...loraVariables(second).values()][0]!.dataSync())).toBeGreaterThan(0);
    for (const model of [first, second]) {
      detachLora(model);
      model.dispose();
    }
  });

  it("a fresh adapter leaves the logits unchanged; named targets select by last path segment; unknown names fail", () => {
    const model = loadCausalLM(modelDir);
    const before = logits(model);
    attachLora(model, { ...LORA, targetModules: ["q_proj", "v_proj"] }, 1);
    expect([...attachedAdapters(model).keys()].sort()).toEqual(
      Array.from({ length: TEST_LLAMA.layers }, (_, i) => [`model.layers.${i}.self_attn.q_proj`, `model.layers.${i}.self_attn.v_proj`]).flat().sort(),
    );
    expect(maxAbsDiff(before, logits(model))).toBe(0);
    expect(() => selectTargets(model, ["q_proj", "wq"])).toThrow(/not found in the model: wq/);
    detachLora(model);
    model.dispose();
  });
});

describe("PEFT layout", () => {
  it("saves adapter_config.json and PEFT tensor names, and loads back to identical weights and logits", () => {
    const model = loadCausalLM(modelDir);
    attachLora(model, LORA, 5);
    randomizeB(model, 100);
    const adapted = logits(model);
    const dir = path.join(root, "adapter");
    const bytes = saveAdapter(dir, model, LORA, "models/tiny-llama");
    expect(bytes).toBeGreaterThan(0);

    const config = JSON.parse(fs.readFileSync(path.join(dir, ADAPTER_CONFIG_FILE), "utf8")) as Record<string, unknown>;
    expect(config).toMatchObject({
      peft_type: "LORA",
      task_type: "CAUSAL_LM",
      r: 4,
      lora_alpha: 8,
      lora_dropout: 0.1,
      bias: "none",
      base_model_name_or_path: "models/tiny-llama",
      fan_in_fan_out: false,
      target_modules: ["down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj"],
    });
    const { tensors, metadata } = readSafetensors(path.join(dir, ADAPTER_WEIGHTS_FILE));
    expect(metadata).toEqual({ format: "pt" });
    expect(tensors.size).toBe(TEST_LLAMA.layers * 7 * 2);
    for (const [name, tensor] of tensors) {
      // PEFT's saved keys: base_model.model.<module path>.lora_A.weight (no adapter name), float32.
      expect(name).toMatch(/^base_model\.model\.model\.layers\.\d+\.(self_attn\.[qkvo]_proj|mlp\.(gate|up|down)_proj)\.lora_[AB]\.weight$/);
      expect(tensor.dtype).toBe("F32");
    }
    expect(tensors.get("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight")!.shape).toEqual([4, TEST_LLAMA.hidden]);
    expect(tensors.get("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight")!.shape).toEqual([TEST_LLAMA.hidden, 4]);

    const reloaded = loadCausalLM(modelDir);
    const { modules } = loadAdapter(dir, reloaded);
    expect(modules).toBe(TEST_LLAMA.layers * 7);
    const original = loraVariables(model);
    for (const [name, variable] of loraVariables(reloaded)) {
      expect(maxAbsDiff(variable.dataSync(), original.get(name)!.dataSync())).toBe(0);
    }
    expect(maxAbsDiff(logits(reloaded), adapted)).toBe(0);
    expect(readAdapterConfig(dir).r).toBe(4);
    for (const m of [model, reloaded]) {
      detachLora(m);
      m.dispose();
    }
  });

  it("refuses an adapter for another model shape, leaving the model untouched", () => {
    const model = loadCausalLM(modelDir);
    attachLora(model, LORA, 5);
    const dir = path.join(root, "adapter-shape");
    saveAdapter(dir, model, LORA, null);
    const config = JSON.parse(fs.readFileSync(path.join(dir, ADAPTER_CONFIG_FILE), "utf8"));
    fs.writeFileSync(path.join(dir, ADAPTER_CONFIG_FILE), JSON.stringify({ ...config, r: 8 }));
    const other = loadCausalLM(modelDir);
    expect(() => loadAdapter(dir, other)).toThrow(/lora_A has shape \[4,\d+\], expected \[8,\d+\]/);
    expect(attachedAdapters(other).size).toBe(0);
    expect(() => readAdapterConfig(path.join(root, "nowhere"))).toThrow(/no adapter_config.json/);
    for (const m of [model, other]) {
      detachLora(m);
      m.dispose();
    }
  });
});

// PEFT reads adapter_model.safetensors with the safetensors library; here Python reads the same bytes by the format's
// spec (u64 header length, JSON header, little-endian float32 data) with numpy, independently of our reader.
const PYTHON_READER = `
import json, struct, sys
import numpy as np
raw = open(sys.argv[1], "rb").read()
(n,) = struct.unpack("<Q", raw[:8])
header = json.loads(raw[8:8 + n])
meta = header.pop("__metadata__", {})
assert (8 + n) % 8 == 0, "data section not 8-byte aligned"
out = {"metadata": meta, "tensors": {}}
for name, entry in header.items():
    begin, end = entry["data_offsets"]
    arr = np.frombuffer(raw[8 + n + begin: 8 + n + end], dtype="<f4").reshape(entry["shape"])
    out["tensors"][name] = {"dtype": entry["dtype"], "shape": list(arr.shape), "sum": float(arr.astype(np.float64).sum())}
print(json.dumps(out))
`;

describe("PEFT layout, read by Python", () => {
  it("is a valid safetensors file whose names, shapes and values Python reads back", () => {
    const probe = spawnSync("python3", ["-c", "import numpy"]);
    if (probe.status !== 0) {
      console.warn("SKIP: python3 with numpy is not available");
      return;
    }
    const model = loadCausalLM(modelDir);
    attachLora(model, LORA, 21);
    randomizeB(model, 5);
    const dir = path.join(root, "adapter-python");
    saveAdapter(dir, model, LORA, null);
    const result = spawnSync("python3", ["-c", PYTHON_READER, path.join(dir, ADAPTER_WEIGHTS_FILE)], { encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    const read = JSON.parse(result.stdout) as { metadata: Record<string, string>; tensors: Record<string, { dtype: string; shape: number[]; sum: number }> };
    expect(read.metadata).toEqual({ format: "pt" });
    const variables = loraVariables(model);
    expect(Object.keys(read.tensors).sort()).toEqual([...variables.keys()].map((name) => `base_model.model.${name}`).sort());
    for (const [name, variable] of variables) {
      const tensor = read.tensors[`base_model.model.${name}`]!;
      expect(tensor.dtype).toBe("F32");
      expect(tensor.shape).toEqual(variable.shape);
      const sum = Array.from(variable.dataSync()).reduce((a, b) => a + b, 0);
      expect(tensor.sum).toBeCloseTo(sum, 4);
    }
    detachLora(model);
    model.dispose();
  });
});

describe("mergeLora", () => {
  it("folds W += scale * B A into the base: merged logits equal the adapted model's, adapters-off equals the base", () => {
    const model = loadCausalLM(modelDir);
    const base = logits(model);
    attachLora(model, LORA, 9);
    randomizeB(model, 7);
    const adapted = logits(model);
    expect(maxAbsDiff(adapted, base)).toBeGreaterThan(1e-3);
    // The reference model DPO uses: the same object with its adapters taken off.
    expect(maxAbsDiff(withAdaptersDisabled(model, () => logits(model)), base)).toBe(0);

    // Independent check of one weight: W + (alpha / r) * B A computed in plain JS.
    const q = model.linears().get("model.layers.0.self_attn.q_proj")!;
    const w = q.weight.dataSync().slice();
    const a = q.lora!.a.dataSync();
    const b = q.lora!.b.dataSync();
    const [out, inp] = q.weight.shape;
    const expected = new Float32Array(out! * inp!);
    for (let o = 0; o < out!; o++) {
      for (let i = 0; i < inp!; i++) {
        let sum = 0;
        for (let k = 0; k < LORA.r; k++) sum += b[o * LORA.r + k]! * a[k * inp! + i]!;
        expected[o * inp! + i] = w[o * inp! + i]! + (LORA.alpha / LORA.r) * sum;
      }
    }
    expect(mergeLora(model)).toBe(TEST_LLAMA.layers * 7);
    expect(attachedAdapters(model).size).toBe(0);
    expect(maxAbsDiff(q.weight.dataSync(), expected)).toBeLessThan(1e-6);
    expect(maxAbsDiff(logits(model), adapted)).toBeLessThan(1e-4);
    model.dispose();
  });

  it("merges an adapter loaded from disk (the SFT -> LPO path) and frees its variables", () => {
    const model = loadCausalLM(modelDir);
    attachLora(model, LORA, 3);
    randomizeB(model, 11);
    const adapted = logits(model);
    const dir = path.join(root, "adapter-merge");
    saveAdapter(dir, model, LORA, null);
    detachLora(model);
    model.dispose();

    const fresh = loadCausalLM(modelDir);
    loadAdapter(dir, fresh);
    const before = tf.memory().numTensors;
    mergeLora(fresh);
    expect(tf.memory().numTensors).toBeLessThan(before); // A and B disposed
    expect(maxAbsDiff(logits(fresh), adapted)).toBeLessThan(1e-4);
    fresh.dispose();
  });
});

describe("GPT-2 (Conv1D projections)", () => {
  it("adapts c_attn, c_proj and c_fc, marks fan_in_fan_out for PEFT, and merges exactly", () => {
    const { plan, config } = planFromConfig({ model_type: "gpt2", vocab_size: 48, n_embd: 16, n_layer: 1, n_head: 2, n_positions: 64 });
    const rng = createRng(3);
    const model = new CausalLM(plan, config, (name, dims) => {
      const count = dims.reduce((p, d) => p * d, 1);
      const values = name.includes("ln_") && name.endsWith(".weight") ? new Float32Array(count).fill(1) : randomNormalArray(count, 0.2, rng);
      const initial = tf.tensor(values, dims, "float32");
      const variable = tf.variable(initial, false);
      initial.dispose();
      return variable;
    });
    attachLora(model, LORA, 4);
    expect([...attachedAdapters(model).keys()].sort()).toEqual(["transformer.h.0.attn.c_attn", "transformer.h.0.attn.c_proj", "transformer.h.0.mlp.c_fc", "transformer.h.0.mlp.c_proj"]);
    randomizeB(model, 9);
    const adapted = logits(model);
    const dir = path.join(root, "adapter-gpt2");
    saveAdapter(dir, model, LORA, null);
    expect(readAdapterConfig(dir)).toMatchObject({ fan_in_fan_out: true, target_modules: ["c_attn", "c_fc", "c_proj"] });
    // PEFT keeps lora_A [r, in] and lora_B [out, r] for Conv1D too: c_attn maps 16 -> 48.
    const { tensors } = readSafetensors(path.join(dir, ADAPTER_WEIGHTS_FILE));
    expect(tensors.get("base_model.model.transformer.h.0.attn.c_attn.lora_A.weight")!.shape).toEqual([4, 16]);
    expect(tensors.get("base_model.model.transformer.h.0.attn.c_attn.lora_B.weight")!.shape).toEqual([48, 4]);
    mergeLora(model);
    expect(maxAbsDiff(logits(model), adapted)).toBeLessThan(1e-4);
    model.dispose();
  });
});
