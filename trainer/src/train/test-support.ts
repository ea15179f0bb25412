// Test and bench support: a small llama-shaped checkpoint with seeded random weights, written in the Hugging Face
// layout through the model package's own CausalLM and saveCausalLM, plus toy examples in token ids. Used by the
// LoRA and loop tests and by scripts/bench-trainer.ts; not part of the trainer's public API.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TTokenizedPair, TTokenizedSft } from "../data/types";
import { planFromConfig } from "../models/architectures";
import { CausalLM } from "../models/causal-lm";
import { saveCausalLM } from "../models/load";
import { createRng, randomNormalArray } from "../nn/random";
import { tf } from "../tf";

export type TTinyLlamaShape = { vocab: number; hidden: number; layers: number; heads: number; kvHeads: number; intermediate: number; maxPositions?: number };

export const TEST_LLAMA: TTinyLlamaShape = { vocab: 48, hidden: 16, layers: 2, heads: 4, kvHeads: 2, intermediate: 32 };

export function llamaConfig(shape: TTinyLlamaShape): Record<string, unknown> {
  return {
    model_type: "llama",
    architectures: ["LlamaForCausalLM"],
    vocab_size: shape.vocab,
    hidden_size: shape.hidden,
    intermediate_size: shape.intermediate,
    num_hidden_layers: shape.layers,
    num_attention_heads: shape.heads,
    num_key_value_heads: shape.kvHeads,
    max_position_embeddings: shape.maxPositions ?? 512,
    rms_norm_eps: 1e-6,
    rope_theta: 10000,
    hidden_act: "silu",
    tie_word_embeddings: false,
    bos_token_id: 1,
    eos_token_id: 2,
  };
}

/** A llama with N(0, 0.2^2) weights (norm weights 1) from `seed`, built in memory. */
export function buildRandomLlama(shape: TTinyLlamaShape, seed: number): CausalLM {
  const { plan, config } = planFromConfig(llamaConfig(shape));
  const rng = createRng(seed);
  return new CausalLM(plan, config, (name, dims) => {
    const count = dims.reduce((p, d) => p * d, 1);
    const isNorm = name.endsWith("norm.weight");
    const values = isNorm ? new Float32Array(count).fill(1) : randomNormalArray(count, 0.2, rng);
    const initial = tf.tensor(values, dims, "float32");
    const variable = tf.variable(initial, false);
    initial.dispose();
    return variable;
  });
}

/** Writes a random llama checkpoint directory (config.json + model.safetensors) and returns its path. */
export function writeRandomLlama(dir: string, shape: TTinyLlamaShape = TEST_LLAMA, seed = 7): string {
  const model = buildRandomLlama(shape, seed);
  try {
    saveCausalLM(model, dir);
  } finally {
    model.dispose();
  }
  return dir;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `disco-${prefix}-`));
}

/** Toy preference pairs in token ids: y+ and y- share a prefix and differ in a few masked tokens. */
export function toyPairs(count: number, vocab: number, seed = 1, length = 10): TTokenizedPair[] {
  const rng = createRng(seed);
  const id = () => 3 + Math.floor(rng() * (vocab - 3));
  return Array.from({ length: count }, (_, k) => {
    const prompt = Array.from({ length: 4 + (k % 3) }, id);
    const shared = Array.from({ length }, id);
    const chosen = [...shared];
    const rejected = [...shared];
    const chosenMask = new Array(length).fill(0);
    const rejectedMask = new Array(length).fill(0);
    for (const position of [2 + (k % 3), length - 3]) {
      chosen[position] = id();
      rejected[position] = id();
      chosenMask[position] = 1;
      rejectedMask[position] = 1;
    }
    // Extra tokens on the rejected side give the pairs unequal lengths, as real fixes do.
    if (k % 2 === 1) {
      rejected.push(id());
      rejectedMask.push(1);
    }
    return { id: `pair-${k}`, cweId: `CWE-${78 + (k % 2)}`, language: "python", promptIds: prompt, chosenIds: [...chosen, 2], chosenMask: [...chosenMask, 0], rejectedIds: [...rejected, 2], rejectedMask: [...rejectedMask, 0], truncated: false };
  });
}

/** Toy SFT examples: each pair's prompt and chosen response. */
export function toySft(count: number, vocab: number, seed = 1, length = 10): TTokenizedSft[] {
  return toyPairs(count, vocab, seed, length).map((pair) => ({
    id: pair.id,
    cweId: pair.cweId,
    language: pair.language,
    promptIds: pair.promptIds,
    responseIds: pair.chosenIds,
    truncated: false,
  }));
}
