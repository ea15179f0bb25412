// Every supported family: a tiny random checkpoint saved in the Hugging Face layout, loaded back, and its logits
// compared with a slow plain-JS reference forward (reference-forward.ts), with padding, GQA and the KV cache.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSafetensors, writeSafetensors } from "../safetensors";
import { initBackend, tf } from "../tf";
import { loadCausalLM, saveCausalLM } from "./load";
import { checkpointShapes, randomCheckpoint, referenceForward } from "./reference-forward";

const CONFIGS: Record<string, Record<string, unknown>> = {
  llama: { model_type: "llama", vocab_size: 37, hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 64, rms_norm_eps: 1e-5, rope_theta: 10000 },
  mistral: { model_type: "mistral", vocab_size: 37, hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 1, max_position_embeddings: 64, rope_theta: 1000000, sliding_window: 3 },
  qwen2: { model_type: "qwen2", vocab_size: 37, hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 64, tie_word_embeddings: true },
  gpt2: { model_type: "gpt2", vocab_size: 37, n_embd: 16, n_layer: 2, n_head: 4, n_positions: 32, activation_function: "gelu_new" },
  phi: { model_type: "phi", vocab_size: 37, hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 2, partial_rotary_factor: 0.5, max_position_embeddings: 64, hidden_act: "gelu_new" },
  starcoder2: { model_type: "starcoder2", vocab_size: 37, hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 64, use_bias: true, hidden_act: "gelu_pytorch_tanh", sliding_window: null },
};

let root: string;
beforeAll(async () => {
  await initBackend(process.env.DISCO_TF_BACKEND === "cpu" ? "cpu" : "wasm");
  root = fs.mkdtempSync(path.join(os.tmpdir(), "disco-models-"));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function writeCheckpoint(name: string, config: Record<string, unknown>, seed: number) {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
  const tensors = randomCheckpoint(config, seed);
  writeSafetensors(path.join(dir, "model.safetensors"), tensors);
  return { dir, tensors };
}

function maxAbsDiff(a: number[][][], b: number[][][], mask?: number[][]): number {
  let worst = 0;
  a.forEach((rows, i) => rows.forEach((row, t) => {
    if (mask && mask[i][t] === 0) return; // padded positions' logits are meaningless
    row.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - b[i][t][k]))));
  }));
  return worst;
}

const IDS = [
  [3, 17, 5, 29, 0, 36, 8],
  [12, 1, 30, 22, 9, 0, 0],
];
const MASK = [
  [1, 1, 1, 1, 1, 1, 1],
  [1, 1, 1, 1, 1, 0, 0],
];

describe.each(Object.keys(CONFIGS))("%s", (arch) => {
  it("matches the reference forward, with right padding, in both attention layouts", () => {
    const config = CONFIGS[arch];
    const { dir, tensors } = writeCheckpoint(arch, config, 11);
    const model = loadCausalLM(dir);
    const expected = referenceForward(config, tensors, IDS, MASK);
    // burn-in: the first call builds cached W^T copies and rotary tables; later calls must allocate nothing lasting
    tf.tidy(() => model.forward(tf.tensor2d(IDS, undefined, "int32"), { training: false }));
    const before = tf.memory().numTensors;
    for (const layout of ["split", "batched"] as const) {
      model.attentionLayout = layout;
      const logits = tf.tidy(() => model.forward(tf.tensor2d(IDS, undefined, "int32"), { training: false, attentionMask: tf.tensor2d(MASK, undefined, "int32") }));
      expect(logits.shape).toEqual([2, 7, 37]);
      expect(maxAbsDiff(logits.arraySync() as number[][][], expected, MASK)).toBeLessThan(1e-4);
      logits.dispose();
      // no mask: every token is real, one causal mask serves the batch
      const unmasked = tf.tidy(() => model.forward(tf.tensor2d(IDS, undefined, "int32"), { training: false }).arraySync() as number[][][]);
      expect(maxAbsDiff(unmasked, referenceForward(config, tensors, IDS))).toBeLessThan(1e-4);
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it("decodes with the KV cache exactly as the full forward", () => {
    const config = CONFIGS[arch];
    const dir = path.join(root, arch);
    const model = loadCausalLM(dir);
    const ids = [IDS[0]];
    const full = tf.tidy(() => model.forward(tf.tensor2d(ids, undefined, "int32"), { training: false }).arraySync() as number[][][]);
    const cache = model.createCache();
    // prompt of 4 tokens, then one token at a time
    const steps: number[][][] = [];
    const first = model.forward(tf.tensor2d([ids[0].slice(0, 4)], undefined, "int32"), { training: false, cache });
    steps.push(...(first.arraySync() as number[][][])[0].map((r) => [r]));
    first.dispose();
    for (let t = 4; t < ids[0].length; t++) {
      const out = tf.tidy(() => model.forward(tf.tensor2d([[ids[0][t]]], undefined, "int32"), { training: false, cache }));
      steps.push((out.arraySync() as number[][][])[0]);
      out.dispose();
    }
    expect(cache.length).toBe(ids[0].length);
    model.disposeCache(cache);
    const stepped = [steps.map((s) => s[0])];
    expect(maxAbsDiff(stepped, full)).toBeLessThan(1e-4);
    model.dispose();
  });

  it("saves back to the same tensors and config", () => {
    const dir = path.join(root, arch);
    const model = loadCausalLM(dir);
    const out = path.join(root, `${arch}-saved`);
    saveCausalLM(model, out);
    model.dispose();
    const original = readSafetensors(path.join(dir, "model.safetensors")).tensors;
    const saved = readSafetensors(path.join(out, "model.safetensors"));
    expect(saved.metadata).toEqual({ format: "pt" });
    expect([...saved.tensors.keys()].sort()).toEqual([...original.keys()].sort());
    for (const [name, t] of original) {
      expect(saved.tensors.get(name)?.shape, name).toEqual(t.shape);
      expect(Array.from(saved.tensors.get(name)?.data ?? []), name).toEqual(Array.from(t.data));
    }
    expect(JSON.parse(fs.readFileSync(path.join(out, "config.json"), "utf8")).model_type).toBe(arch);
  });
});

describe("checkpoints as the Hub ships them", () => {
  it("loads a bf16/f16 gpt2 saved from GPT2Model (no 'transformer.' prefix, extra attn.bias buffers)", () => {
    const config = CONFIGS.gpt2;
    const tensors = randomCheckpoint(config, 13);
    const dir = path.join(root, "gpt2-hub");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
    const onDisk = new Map<string, { shape: number[]; data: Float32Array; dtype: "BF16" | "F16" | "F32" }>();
    let k = 0;
    for (const [name, t] of tensors) onDisk.set(name.replace(/^transformer\./, ""), { shape: t.shape, data: t.data as Float32Array, dtype: k++ % 2 ? "BF16" : "F16" });
    onDisk.set("h.0.attn.bias", { shape: [1, 1, 4, 4], data: new Float32Array(16).fill(1), dtype: "F32" });
    writeSafetensors(path.join(dir, "model.safetensors"), onDisk);
    // the reference sees the same rounded weights, read back independently of the loader
    const rounded = new Map([...readSafetensors(path.join(dir, "model.safetensors")).tensors].map(([n, t]) => [n.startsWith("h.") || n.startsWith("w") || n.startsWith("ln_f") ? `transformer.${n}` : n, t]));
    expect(rounded.get("transformer.wte.weight")?.dtype).toBe("F16");
    const model = loadCausalLM(dir);
    const logits = tf.tidy(() => model.forward(tf.tensor2d(IDS, undefined, "int32"), { training: false, attentionMask: tf.tensor2d(MASK, undefined, "int32") }).arraySync() as number[][][]);
    expect(maxAbsDiff(logits, referenceForward(config, rounded, IDS, MASK), MASK)).toBeLessThan(1e-4);
    // and the rounding mattered: the f32 originals give different logits
    expect(maxAbsDiff(logits, referenceForward(config, tensors, IDS, MASK), MASK)).toBeGreaterThan(1e-4);
    model.dispose();
  });
});

describe("tied embeddings", () => {
  it("follows the checkpoint when config.json does not say whether lm_head is tied", () => {
    const config = { ...CONFIGS.starcoder2, tie_word_embeddings: false };
    const tensors = randomCheckpoint(config, 8); // holds lm_head.weight
    const { tie_word_embeddings: _unsaid, ...unsaid } = config;
    const dir = path.join(root, "starcoder2-untied");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(unsaid));
    writeSafetensors(path.join(dir, "model.safetensors"), tensors);
    const model = loadCausalLM(dir);
    expect(model.namedWeights().has("lm_head.weight")).toBe(true);
    const logits = tf.tidy(() => model.forward(tf.tensor2d([IDS[0]], undefined, "int32"), { training: false }).arraySync() as number[][][]);
    expect(maxAbsDiff(logits, referenceForward(config, tensors, [IDS[0]]))).toBeLessThan(1e-4);
    // a saved copy says so explicitly and loads back untied
    saveCausalLM(model, path.join(root, "starcoder2-untied-saved"));
    model.dispose();
    expect(JSON.parse(fs.readFileSync(path.join(root, "starcoder2-untied-saved", "config.json"), "utf8")).tie_word_embeddings).toBe(false);
    const again = loadCausalLM(path.join(root, "starcoder2-untied-saved"));
    expect(again.namedWeights().has("lm_head.weight")).toBe(true);
    again.dispose();
  });
});

describe("loader errors", () => {
  it("names an unsupported architecture", () => {
    const dir = path.join(root, "bert");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({ model_type: "bert", vocab_size: 10 }));
    expect(() => loadCausalLM(dir)).toThrow(/model_type "bert" is not supported/);
  });

  it("names a missing config field", () => {
    const dir = path.join(root, "bad-config");
    fs.mkdirSync(dir, { recursive: true });
    const { hidden_size: _drop, ...config } = CONFIGS.llama;
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
    expect(() => loadCausalLM(dir)).toThrow(/field "hidden_size"/);
  });

  it("names a missing tensor and a mis-shaped one, leaking nothing", () => {
    const config = CONFIGS.llama;
    const before = tf.memory().numTensors;
    const dir = path.join(root, "missing");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
    const tensors = randomCheckpoint(config, 3);
    tensors.delete("model.layers.1.mlp.up_proj.weight");
    writeSafetensors(path.join(dir, "model.safetensors"), tensors);
    expect(() => loadCausalLM(dir)).toThrow(/tensor "model.layers.1.mlp.up_proj.weight" is missing/);
    const wrong = randomCheckpoint(config, 3);
    wrong.set("model.layers.0.self_attn.k_proj.weight", { dtype: "F32", shape: [16, 16], data: new Float32Array(256) });
    writeSafetensors(path.join(dir, "model.safetensors"), wrong);
    expect(() => loadCausalLM(dir)).toThrow(/tensor "model.layers.0.self_attn.k_proj.weight" has shape \[16,16\], expected \[8,16\]/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("names a directory without weights", () => {
    const dir = path.join(root, "no-weights");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(CONFIGS.gpt2));
    expect(() => loadCausalLM(dir)).toThrow(/no model.safetensors/);
  });
});

describe("sharded checkpoints", () => {
  it("loads a model split over two shards listed in model.safetensors.index.json", () => {
    const config = CONFIGS.llama;
    const dir = path.join(root, "sharded");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
    const tensors = randomCheckpoint(config, 5);
    const names = checkpointShapes(config).map(([n]) => n);
    const weightMap: Record<string, string> = {};
    const shards = [new Map(), new Map()];
    names.forEach((n, i) => {
      const shard = i < names.length / 2 ? 0 : 1;
      shards[shard].set(n, tensors.get(n));
      weightMap[n] = `model-0000${shard + 1}-of-00002.safetensors`;
    });
    shards.forEach((s, i) => writeSafetensors(path.join(dir, `model-0000${i + 1}-of-00002.safetensors`), s));
    fs.writeFileSync(path.join(dir, "model.safetensors.index.json"), JSON.stringify({ metadata: {}, weight_map: weightMap }));
    const model = loadCausalLM(dir);
    const logits = tf.tidy(() => model.forward(tf.tensor2d([IDS[0]], undefined, "int32"), { training: false }).arraySync() as number[][][]);
    expect(maxAbsDiff(logits, referenceForward(config, tensors, [IDS[0]]))).toBeLessThan(1e-4);
    model.dispose();
  });
});
