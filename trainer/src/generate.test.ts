// Generation with the KV cache: greedy equals repeated full forwards, seeded sampling is reproducible, top-k/top-p
// behave as specified, stop tokens end a sample, and no tensor outlives a call.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate, generateSamples, sampleToken } from "./generate";
import { buildCausalLM } from "./models/load";
import { randomCheckpoint } from "./models/reference-forward";
import type { ICausalLM } from "./models/types";
import { createRng } from "./nn/random";
import { initBackend, tf } from "./tf";

const CONFIG = { model_type: "llama", vocab_size: 50, hidden_size: 32, intermediate_size: 48, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 64 };
let model: ICausalLM;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "disco-gen-"));

beforeAll(async () => {
  await initBackend(process.env.DISCO_TF_BACKEND === "cpu" ? "cpu" : "wasm");
  // std 1 makes the random model's distributions peaked enough for greedy ties to be impossible
  model = buildCausalLM(CONFIG, randomCheckpoint(CONFIG, 21, 1));
});
afterAll(() => {
  model.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

const PROMPT = [4, 17, 9, 33];

function greedyByFullForward(steps: number): number[] {
  const ids = [...PROMPT];
  for (let i = 0; i < steps; i++) {
    const row = tf.tidy(() => {
      const logits = model.forward(tf.tensor2d([ids], undefined, "int32"), { training: false });
      return Array.from(tf.slice(logits, [0, ids.length - 1, 0], [1, 1, -1]).dataSync());
    });
    ids.push(row.indexOf(Math.max(...row)));
  }
  return ids.slice(PROMPT.length);
}

describe("generate", () => {
  it("greedy decoding with the cache equals argmax over repeated full forwards", () => {
    const expected = greedyByFullForward(8);
    expect(generate(model, PROMPT, { maxNewTokens: 8, temperature: 0 })).toEqual([expected]);
    // top-k 1 at any temperature is greedy too
    expect(generate(model, PROMPT, { maxNewTokens: 8, temperature: 1.3, topK: 1, seed: 5 })).toEqual([expected]);
  });

  it("is reproducible for a seed, varies across seeds, and decodes n samples together", () => {
    const a = generate(model, PROMPT, { maxNewTokens: 10, temperature: 1, seed: 3, n: 3 });
    expect(a).toHaveLength(3);
    for (const s of a) expect(s).toHaveLength(10);
    expect(generate(model, PROMPT, { maxNewTokens: 10, temperature: 1, seed: 3, n: 3 })).toEqual(a);
    expect(generate(model, PROMPT, { maxNewTokens: 10, temperature: 1, seed: 4, n: 3 })).not.toEqual(a);
    expect(new Set(a.map((s) => s.join(","))).size).toBeGreaterThan(1);
  });

  it("ends a sample at a stop token, which it leaves out", () => {
    const greedy = greedyByFullForward(8);
    // the first token that greedy decoding produces after something else
    const k = greedy.findIndex((t) => t !== greedy[0]);
    expect(k).toBeGreaterThan(0);
    const out = generateSamples(model, PROMPT, { maxNewTokens: 8, temperature: 0, stopTokenIds: [greedy[k]] });
    expect(out).toEqual([{ tokenIds: greedy.slice(0, k), finishReason: "stop" }]);
    expect(generateSamples(model, PROMPT, { maxNewTokens: 8, temperature: 0, stopTokenIds: [greedy[0]] })).toEqual([{ tokenIds: [], finishReason: "stop" }]);
    expect(generateSamples(model, PROMPT, { maxNewTokens: 2, temperature: 0 })[0].finishReason).toBe("length");
  });

  it("rejects bad input with clear errors", () => {
    expect(() => generate(model, [], { maxNewTokens: 2 })).toThrow(/at least one token/);
    expect(() => generate(model, [50], { maxNewTokens: 2 })).toThrow(/token id 50 is outside the vocabulary/);
    expect(() => generate(model, PROMPT, { maxNewTokens: 0 })).toThrow();
    expect(() => generate(model, new Array(64).fill(1), { maxNewTokens: 1 })).toThrow(/fills the model's 64 positions/);
  });

  it("leaks no tensors", () => {
    generate(model, PROMPT, { maxNewTokens: 2, temperature: 0 }); // builds the model's lazy caches
    const before = tf.memory().numTensors;
    generate(model, PROMPT, { maxNewTokens: 6, temperature: 0.8, topP: 0.9, topK: 20, n: 2, seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("sampleToken", () => {
  const logits = [Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)];
  const frequencies = (options: { temperature: number; topK: number; topP: number }, draws = 20000) => {
    const random = createRng(9);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < draws; i++) counts[sampleToken(logits, options, random)]++;
    return counts.map((c) => c / draws);
  };

  it("samples the softmax at temperature 1", () => {
    const f = frequencies({ temperature: 1, topK: 0, topP: 1 });
    [0.5, 0.3, 0.15, 0.05].forEach((p, i) => expect(Math.abs(f[i] - p)).toBeLessThan(0.015));
  });

  it("top-p keeps the smallest prefix reaching p, renormalised", () => {
    // 0.5 + 0.3 = 0.8 >= 0.75: tokens 0 and 1 with probabilities 5/8 and 3/8
    const f = frequencies({ temperature: 1, topK: 0, topP: 0.75 });
    expect(f[2] + f[3]).toBe(0);
    expect(Math.abs(f[0] - 0.625)).toBeLessThan(0.015);
  });

  it("top-k keeps the k most likely, and temperature sharpens", () => {
    const f = frequencies({ temperature: 1, topK: 3, topP: 1 });
    expect(f[3]).toBe(0);
    expect(Math.abs(f[0] - 0.5 / 0.95)).toBeLessThan(0.015);
    // temperature 0.5 squares the probabilities: 0.25 / (0.25 + 0.09 + 0.0225 + 0.0025)
    const g = frequencies({ temperature: 0.5, topK: 0, topP: 1 });
    expect(Math.abs(g[0] - 0.25 / 0.365)).toBeLessThan(0.015);
  });
});
