// The built-in tiny model: a llama-shaped network with our own seeded random initialisation, saved as a real
// Hugging Face checkpoint directory (config.json, model.safetensors, tokenizer.json, tokenizer_config.json), with a
// byte-level BPE tokenizer trained on the demo data's Python code and texts. Small enough that an LPO demo run of a
// few dozen steps finishes in minutes on two cores with the wasm backend; it learns nothing useful, it shows the flow.
import fs from "node:fs";
import path from "node:path";
import { DEMO_PAIRS } from "../../../lib/seed/demo-data";
import { createRng, randomNormalArray } from "../nn/random";
import { writeSafetensors, type TWritableTensor } from "../safetensors";
import { byteLevelTokenizerJson, trainByteLevelBpe } from "./bpe";

export const TINY_EOS_TOKEN = "<|endoftext|>";
export const TINY_PAD_TOKEN = "<|pad|>";
const SPECIALS = [TINY_EOS_TOKEN, TINY_PAD_TOKEN];
/** Bumped when the recipe changes, so ensureTinyModel rebuilds an outdated directory. */
export const TINY_MODEL_VERSION = 1;
const MARKER = "disco-tiny.json";

export const TINY_SHAPE = {
  vocabSize: 2048,
  hidden: 128,
  intermediate: 352,
  layers: 2,
  heads: 4,
  kvHeads: 4,
  maxPositions: 2048,
};

// The reference code's prompt frame (trainer/src/data/format.ts), spelled out here so the tokenizer does not move
// when that module does.
const PREAMBLE = "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n";

/** Training texts for the tokenizer: every demo pair in the training format, both codes. */
export function tinyTokenizerCorpus(): string[] {
  return DEMO_PAIRS.flatMap((p) => [
    `${PREAMBLE}### Instruction:\n${p.instruction}\n\n### Security Thought:\n${p.reasonSecure}\n\n### Response:\n\`\`\`python\n${p.secureCode}\n\`\`\``,
    `${PREAMBLE}### Instruction:\n${p.instruction}\n\n### Response:\n\`\`\`python\n${p.insecureCode}\n\`\`\``,
    p.reasonInsecure,
  ]);
}

export function tinyModelConfig(): Record<string, unknown> & { vocab_size: number } {
  const s = TINY_SHAPE;
  return {
    architectures: ["LlamaForCausalLM"],
    model_type: "llama",
    vocab_size: s.vocabSize,
    hidden_size: s.hidden,
    intermediate_size: s.intermediate,
    num_hidden_layers: s.layers,
    num_attention_heads: s.heads,
    num_key_value_heads: s.kvHeads,
    max_position_embeddings: s.maxPositions,
    rms_norm_eps: 1e-5,
    rope_theta: 10000,
    hidden_act: "silu",
    initializer_range: 0.02,
    tie_word_embeddings: false,
    bos_token_id: s.vocabSize - 2,
    eos_token_id: s.vocabSize - 2,
    pad_token_id: s.vocabSize - 1,
    torch_dtype: "float32",
    transformers_version: "4.44.0",
  };
}

/** Seeded weights like transformers' LlamaPreTrainedModel init: N(0, 0.02^2) everywhere, norms at 1. */
function tinyWeights(config: ReturnType<typeof tinyModelConfig>, seed: number): Map<string, TWritableTensor> {
  const rng = createRng(seed);
  const std = config.initializer_range as number;
  const s = TINY_SHAPE;
  const headDim = s.hidden / s.heads;
  const out = new Map<string, TWritableTensor>();
  const normal = (name: string, shape: number[]) => out.set(name, { shape, data: randomNormalArray(shape[0] * (shape[1] ?? 1), std, rng) });
  const ones = (name: string, n: number) => out.set(name, { shape: [n], data: new Float32Array(n).fill(1) });
  normal("model.embed_tokens.weight", [s.vocabSize, s.hidden]);
  for (let i = 0; i < s.layers; i++) {
    const p = `model.layers.${i}`;
    normal(`${p}.self_attn.q_proj.weight`, [s.heads * headDim, s.hidden]);
    normal(`${p}.self_attn.k_proj.weight`, [s.kvHeads * headDim, s.hidden]);
    normal(`${p}.self_attn.v_proj.weight`, [s.kvHeads * headDim, s.hidden]);
    normal(`${p}.self_attn.o_proj.weight`, [s.hidden, s.heads * headDim]);
    normal(`${p}.mlp.gate_proj.weight`, [s.intermediate, s.hidden]);
    normal(`${p}.mlp.up_proj.weight`, [s.intermediate, s.hidden]);
    normal(`${p}.mlp.down_proj.weight`, [s.hidden, s.intermediate]);
    ones(`${p}.input_layernorm.weight`, s.hidden);
    ones(`${p}.post_attention_layernorm.weight`, s.hidden);
  }
  ones("model.norm.weight", s.hidden);
  normal("lm_head.weight", [s.vocabSize, s.hidden]);
  return out;
}

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Writes the tiny model's checkpoint directory. Deterministic: the same seed (and demo corpus) gives the same files
 * byte for byte. Written to a sibling temp folder and renamed into place, so a reader never sees half a model.
 */
export function createTinyModel(dir: string, options: { seed?: number; replace?: boolean } = {}): string {
  const seed = options.seed ?? 0;
  const target = path.resolve(dir);
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdirSync(tmp, { recursive: true });
  try {
    const config = tinyModelConfig();
    const bpe = trainByteLevelBpe(tinyTokenizerCorpus(), TINY_SHAPE.vocabSize - SPECIALS.length);
    if (bpe.vocab.size !== TINY_SHAPE.vocabSize - SPECIALS.length) {
      throw new Error(`tiny tokenizer: the corpus only supports ${bpe.vocab.size} tokens, expected ${TINY_SHAPE.vocabSize - SPECIALS.length}`);
    }
    writeJson(path.join(tmp, "config.json"), config);
    writeSafetensors(path.join(tmp, "model.safetensors"), tinyWeights(config, seed));
    writeJson(path.join(tmp, "tokenizer.json"), byteLevelTokenizerJson(bpe, SPECIALS));
    writeJson(path.join(tmp, "tokenizer_config.json"), {
      tokenizer_class: "GPT2Tokenizer",
      bos_token: TINY_EOS_TOKEN,
      eos_token: TINY_EOS_TOKEN,
      pad_token: TINY_PAD_TOKEN,
      unk_token: null,
      add_bos_token: false,
      add_prefix_space: false,
      clean_up_tokenization_spaces: false,
      model_max_length: TINY_SHAPE.maxPositions,
    });
    writeJson(path.join(tmp, "generation_config.json"), { bos_token_id: config.bos_token_id, eos_token_id: config.eos_token_id, pad_token_id: config.pad_token_id });
    writeJson(path.join(tmp, MARKER), { version: TINY_MODEL_VERSION, seed });
    install(tmp, target, () => !(options.replace ?? true) && isTinyModelCurrent(target, seed));
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  return target;
}

/**
 * Moves the finished temp folder into place. Two processes may build the model at once (workers starting together):
 * when the target appeared meanwhile and `keepExisting()` says it is good, the late copy is dropped instead of
 * deleting a directory another process may be reading.
 */
function install(tmp: string, target: string, keepExisting: () => boolean): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  try {
    fs.renameSync(tmp, target); // succeeds when the target is absent or an empty folder
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "ENOTEMPTY" && code !== "EEXIST" && code !== "EPERM") throw err;
  }
  if (keepExisting()) {
    fs.rmSync(tmp, { recursive: true, force: true });
    return;
  }
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(tmp, target);
}

/** True when `dir` holds a complete tiny model of the current recipe (and seed). */
export function isTinyModelCurrent(dir: string, seed = 0): boolean {
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(dir, MARKER), "utf8")) as { version?: number; seed?: number };
    if (marker.version !== TINY_MODEL_VERSION || marker.seed !== seed) return false;
    return ["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"].every((f) => fs.existsSync(path.join(dir, f)));
  } catch {
    return false;
  }
}

/** Creates the tiny model in `dir` unless a current one is there already; returns the directory. Idempotent. */
export function ensureTinyModel(dir: string, options: { seed?: number } = {}): string {
  const seed = options.seed ?? 0;
  if (isTinyModelCurrent(dir, seed)) return path.resolve(dir);
  return createTinyModel(dir, { seed, replace: false });
}
