// Loading and saving Hugging Face causal-LM checkpoint directories: config.json, then model.safetensors (or the
// shards of model.safetensors.index.json). Every tensor the architecture needs is checked for presence and shape
// before the model is built, so a malformed checkpoint fails with the tensor's name instead of a crash mid-forward.
import fs from "node:fs";
import path from "node:path";
import type { TAttentionLayout } from "../nn/attention";
import { readCheckpointTensors, writeSafetensors, type TNamedArray } from "../safetensors";
import { tf } from "../tf";
import { planFromConfig } from "./architectures";
import { CausalLM } from "./causal-lm";
import type { ICausalLM } from "./types";

/** Files of a model directory that describe its tokenizer; saveCausalLM copies them along. */
export const TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt", "generation_config.json"];

export type TLoadOptions = { attentionLayout?: TAttentionLayout };

export function readModelConfig(dir: string): Record<string, unknown> {
  const file = path.join(dir, "config.json");
  if (!fs.existsSync(file)) throw new Error(`${dir}: no config.json (not a Hugging Face model directory)`);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
}

/**
 * A model from a parsed config and its tensors by Hugging Face name. Shapes are checked against the config;
 * gpt2's Conv1D weights ([in, out] on disk) are transposed to the Linear layout [out, in].
 */
export function buildCausalLM(config: unknown, tensors: Map<string, TNamedArray>, options: TLoadOptions & { source?: string } = {}): CausalLM {
  const source = options.source ?? "checkpoint";
  const { plan } = planFromConfig(config, `${source}/config.json`);
  // Families whose default for tie_word_embeddings differs between versions: when config.json does not say, the
  // checkpoint does (an lm_head tensor means untied). gpt2 always ties.
  if (plan.architecture !== "gpt2" && !Object.hasOwn(config as object, "tie_word_embeddings")) {
    plan.tieEmbeddings = !tensors.has(`${plan.names.lmHead}.weight`);
  }
  // Checkpoints saved from GPT2Model (the Hub's "gpt2" itself) omit the "transformer." prefix.
  const lookup = (name: string): TNamedArray | undefined =>
    tensors.get(name) ?? (plan.architecture === "gpt2" && name.startsWith("transformer.") ? tensors.get(name.slice("transformer.".length)) : undefined);
  const created: tf.Variable[] = [];
  const conv1d = new Set<string>();
  if (plan.conv1dWeights) {
    for (let i = 0; i < plan.layers; i++) {
      const n = plan.names.layer(i);
      for (const p of [n.qkv, n.o, n.up, n.down]) conv1d.add(`${p}.weight`);
    }
  }
  const weight = (name: string, shape: number[]): tf.Variable => {
    const t = lookup(name);
    if (!t) throw new Error(`${source}: tensor "${name}" is missing (expected shape ${JSON.stringify(shape)})`);
    const stored = conv1d.has(name) ? [shape[1], shape[0]] : shape;
    if (t.shape.length !== stored.length || t.shape.some((d, k) => d !== stored[k])) {
      throw new Error(`${source}: tensor "${name}" has shape ${JSON.stringify(t.shape)}, expected ${JSON.stringify(stored)}`);
    }
    if (!(t.data instanceof Float32Array)) throw new Error(`${source}: tensor "${name}" is ${t.dtype}, expected a floating-point type`);
    const v = tf.tidy(() => {
      const value = tf.tensor(t.data, stored, "float32");
      return tf.variable(conv1d.has(name) ? tf.transpose(value) : value, false);
    });
    created.push(v);
    return v;
  };
  // The model keeps config.json as written (no zod defaults added), with the tying decision made explicit so a
  // saved copy loads back the same way.
  const kept = { ...(config as Record<string, unknown>), tie_word_embeddings: plan.tieEmbeddings } as unknown as CausalLM["config"];
  try {
    return new CausalLM(plan, kept, weight, options);
  } catch (err) {
    for (const v of created) v.dispose();
    throw err;
  }
}

/** Loads a Hugging Face checkpoint directory (config.json + model.safetensors or a sharded index). */
export function loadCausalLM(dir: string, options: TLoadOptions = {}): ICausalLM & CausalLM {
  const config = readModelConfig(dir);
  // Validate the config before reading (possibly gigabytes of) weights.
  planFromConfig(config, path.join(dir, "config.json"));
  const tensors = readCheckpointTensors(dir);
  const model = buildCausalLM(config, tensors, { ...options, source: dir });
  model.sourceDir = path.resolve(dir);
  return model;
}

/**
 * Writes config.json and model.safetensors (float32, __metadata__ {"format": "pt"}) in the Hugging Face layout,
 * and copies the tokenizer files of the directory the model was loaded from, so the result is a complete model.
 */
export function saveCausalLM(model: ICausalLM, dir: string): void {
  if (!(model instanceof CausalLM)) throw new Error("saveCausalLM: only models built by loadCausalLM/buildCausalLM can be saved");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "config.json"), `${JSON.stringify(model.config, null, 2)}\n`);
  writeSafetensors(path.join(dir, "model.safetensors"), model.checkpointTensors());
  const stale = path.join(dir, "model.safetensors.index.json");
  if (fs.existsSync(stale)) fs.rmSync(stale); // a single file now holds every tensor
  if (model.sourceDir && path.resolve(dir) !== model.sourceDir) {
    for (const file of TOKENIZER_FILES) {
      const from = path.join(model.sourceDir, file);
      if (fs.existsSync(from)) fs.copyFileSync(from, path.join(dir, file));
    }
  }
}
