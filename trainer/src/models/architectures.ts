// What each supported architecture looks like, read from its config.json: one plan per family (sizes, norm,
// positions, MLP, biases, residual form, and the Hugging Face tensor names), so the model code stays one generic
// decoder. Configs are validated with zod; an error names the field that is missing or wrong.
import { z } from "zod";
import { ACTIVATIONS, type TActivation } from "../nn/activations";
import { ARCHITECTURES, type TArchitecture } from "./types";

export type TModelPlan = {
  architecture: TArchitecture;
  vocabSize: number;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  intermediate: number;
  maxPositions: number;
  norm: { kind: "rms" | "layer"; eps: number };
  positions: { kind: "rope"; rotaryDim: number; theta: number; scale: number } | { kind: "learned" };
  mlp: { gated: boolean; activation: TActivation; bias: boolean };
  qkvBias: boolean;
  outBias: boolean;
  /** Mistral-style local attention: query i sees keys j with i - j < slidingWindow; null = full causal. */
  slidingWindow: number | null;
  /** phi: attention and MLP both read the same normed input and add to the residual together. */
  parallelResidual: boolean;
  /** gpt2 stores q, k, v as one c_attn projection and its linear weights as Conv1D [in, out]. */
  fusedQkv: boolean;
  conv1dWeights: boolean;
  tieEmbeddings: boolean;
  lmHeadBias: boolean;
  names: TModelNames;
};

/** Hugging Face module paths (tensor names are `${path}.weight` / `${path}.bias`). */
export type TModelNames = {
  embed: string;
  positionEmbed: string | null;
  finalNorm: string;
  lmHead: string;
  layer(i: number): {
    norm1: string;
    norm2: string | null;
    q: string;
    k: string;
    v: string;
    qkv: string;
    o: string;
    gate: string | null;
    up: string;
    down: string;
  };
};

const positive = z.number().int().positive();
const ZRopeScaling = z
  .object({ type: z.string().optional(), rope_type: z.string().optional(), factor: z.number().positive().optional() })
  .passthrough()
  .nullish();

/** The fields every rotary decoder's config.json (llama family, phi, starcoder2) names the same way. */
const DECODER_FIELDS = {
  vocab_size: positive,
  hidden_size: positive,
  intermediate_size: positive,
  num_hidden_layers: positive,
  num_attention_heads: positive,
  num_key_value_heads: positive.nullish(),
};
const ROPE_FIELDS = { rope_theta: z.number().positive().default(10000), rope_scaling: ZRopeScaling };

const ZLlamaConfig = z
  .object({
    model_type: z.enum(["llama", "mistral", "qwen2"]),
    ...DECODER_FIELDS,
    head_dim: positive.nullish(),
    max_position_embeddings: positive.default(2048),
    rms_norm_eps: z.number().positive().default(1e-6),
    ...ROPE_FIELDS,
    hidden_act: z.enum(ACTIVATIONS).default("silu"),
    attention_bias: z.boolean().default(false),
    mlp_bias: z.boolean().default(false),
    tie_word_embeddings: z.boolean().default(false),
    sliding_window: positive.nullish(),
    use_sliding_window: z.boolean().default(false), // qwen2 only
  })
  .passthrough();

const ZGpt2Config = z
  .object({
    model_type: z.literal("gpt2"),
    vocab_size: positive,
    n_embd: positive,
    n_layer: positive,
    n_head: positive,
    n_positions: positive,
    n_inner: positive.nullish(),
    layer_norm_epsilon: z.number().positive().default(1e-5),
    activation_function: z.enum(ACTIVATIONS).default("gelu_new"),
    scale_attn_weights: z.boolean().default(true),
    scale_attn_by_inverse_layer_idx: z.literal(false, { message: "scale_attn_by_inverse_layer_idx=true is not supported" }).default(false),
    reorder_and_upcast_attn: z.boolean().default(false),
    tie_word_embeddings: z.boolean().default(true),
  })
  .passthrough();

const ZPhiConfig = z
  .object({
    model_type: z.literal("phi"),
    ...DECODER_FIELDS,
    max_position_embeddings: positive.default(2048),
    layer_norm_eps: z.number().positive().default(1e-5),
    ...ROPE_FIELDS,
    partial_rotary_factor: z.number().positive().max(1).default(0.5),
    hidden_act: z.enum(ACTIVATIONS).default("gelu_new"),
    qk_layernorm: z.literal(false, { message: "qk_layernorm=true is not supported" }).default(false),
    tie_word_embeddings: z.boolean().default(false),
  })
  .passthrough();

const ZStarcoder2Config = z
  .object({
    model_type: z.literal("starcoder2"),
    ...DECODER_FIELDS,
    max_position_embeddings: positive.default(4096),
    norm_epsilon: z.number().positive().default(1e-5),
    ...ROPE_FIELDS,
    hidden_act: z.enum(ACTIVATIONS).default("gelu_pytorch_tanh"),
    use_bias: z.boolean().default(true),
    tie_word_embeddings: z.boolean().default(true),
    sliding_window: positive.nullish(),
  })
  .passthrough();

function parse<T extends z.ZodTypeAny>(schema: T, config: unknown, source: string): z.infer<T> {
  const result = schema.safeParse(config);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${source}: field "${issue.path.join(".") || "(root)"}" is invalid: ${issue.message}`);
  }
  return result.data;
}

function ropeScale(scaling: z.infer<typeof ZRopeScaling>, source: string): number {
  if (!scaling) return 1;
  const kind = scaling.rope_type ?? scaling.type;
  if (kind === "linear" && scaling.factor) return scaling.factor;
  if (kind === "default") return 1;
  throw new Error(`${source}: field "rope_scaling" of type "${kind}" is not supported (only "linear")`);
}

function headCount(hidden: number, heads: number, kvHeads: number | null | undefined, source: string): number {
  const kv = kvHeads ?? heads;
  if (heads % kv !== 0) throw new Error(`${source}: field "num_key_value_heads" (${kv}) must divide num_attention_heads (${heads})`);
  if (hidden % heads !== 0) throw new Error(`${source}: hidden size ${hidden} is not divisible by num_attention_heads (${heads})`);
  return kv;
}

const llamaLayerNames = (prefix: string, o: string, mlp: { gate: string | null; up: string; down: string }, norm2: string | null) => (i: number) => {
  const p = `${prefix}.${i}`;
  return {
    norm1: `${p}.input_layernorm`,
    norm2: norm2 ? `${p}.${norm2}` : null,
    q: `${p}.self_attn.q_proj`,
    k: `${p}.self_attn.k_proj`,
    v: `${p}.self_attn.v_proj`,
    qkv: `${p}.self_attn.qkv_proj`,
    o: `${p}.self_attn.${o}`,
    gate: mlp.gate ? `${p}.mlp.${mlp.gate}` : null,
    up: `${p}.mlp.${mlp.up}`,
    down: `${p}.mlp.${mlp.down}`,
  };
};

/** The plan for a parsed config.json; throws naming the field (or the model_type) it cannot accept. */
export function planFromConfig(config: unknown, source = "config.json"): { plan: TModelPlan; config: Record<string, unknown> & { vocab_size: number } } {
  if (!config || typeof config !== "object") throw new Error(`${source}: not a JSON object`);
  const modelType = (config as { model_type?: unknown }).model_type;
  if (typeof modelType !== "string") throw new Error(`${source}: field "model_type" is missing`);
  if (!(ARCHITECTURES as readonly string[]).includes(modelType)) {
    throw new Error(`${source}: model_type "${modelType}" is not supported (supported: ${ARCHITECTURES.join(", ")})`);
  }
  switch (modelType as TArchitecture) {
    case "llama":
    case "mistral":
    case "qwen2": {
      const c = parse(ZLlamaConfig, config, source);
      const kvHeads = headCount(c.hidden_size, c.num_attention_heads, c.num_key_value_heads, source);
      const headDim = c.head_dim ?? c.hidden_size / c.num_attention_heads;
      const plan: TModelPlan = {
        architecture: c.model_type,
        vocabSize: c.vocab_size,
        hidden: c.hidden_size,
        layers: c.num_hidden_layers,
        heads: c.num_attention_heads,
        kvHeads,
        headDim,
        intermediate: c.intermediate_size,
        maxPositions: c.max_position_embeddings,
        norm: { kind: "rms", eps: c.rms_norm_eps },
        positions: { kind: "rope", rotaryDim: headDim, theta: c.rope_theta, scale: ropeScale(c.rope_scaling, source) },
        mlp: { gated: true, activation: c.hidden_act, bias: c.mlp_bias },
        // qwen2 always has q/k/v biases (and no o bias); llama/mistral follow attention_bias.
        qkvBias: c.model_type === "qwen2" || c.attention_bias,
        outBias: c.model_type !== "qwen2" && c.attention_bias,
        // llama has no window; mistral uses sliding_window when set; qwen2 only with use_sliding_window
        slidingWindow: c.model_type === "mistral" || (c.model_type === "qwen2" && c.use_sliding_window) ? (c.sliding_window ?? null) : null,
        parallelResidual: false,
        fusedQkv: false,
        conv1dWeights: false,
        tieEmbeddings: c.tie_word_embeddings,
        lmHeadBias: false,
        names: {
          embed: "model.embed_tokens",
          positionEmbed: null,
          finalNorm: "model.norm",
          lmHead: "lm_head",
          layer: llamaLayerNames("model.layers", "o_proj", { gate: "gate_proj", up: "up_proj", down: "down_proj" }, "post_attention_layernorm"),
        },
      };
      return { plan, config: c };
    }
    case "gpt2": {
      const c = parse(ZGpt2Config, config, source);
      if (!c.scale_attn_weights) throw new Error(`${source}: field "scale_attn_weights"=false is not supported`);
      headCount(c.n_embd, c.n_head, null, source);
      const plan: TModelPlan = {
        architecture: "gpt2",
        vocabSize: c.vocab_size,
        hidden: c.n_embd,
        layers: c.n_layer,
        heads: c.n_head,
        kvHeads: c.n_head,
        headDim: c.n_embd / c.n_head,
        intermediate: c.n_inner ?? 4 * c.n_embd,
        maxPositions: c.n_positions,
        norm: { kind: "layer", eps: c.layer_norm_epsilon },
        positions: { kind: "learned" },
        mlp: { gated: false, activation: c.activation_function, bias: true },
        qkvBias: true,
        outBias: true,
        slidingWindow: null,
        parallelResidual: false,
        fusedQkv: true,
        conv1dWeights: true,
        tieEmbeddings: true, // GPT2LMHeadModel always ties lm_head to wte
        lmHeadBias: false,
        names: {
          embed: "transformer.wte",
          positionEmbed: "transformer.wpe",
          finalNorm: "transformer.ln_f",
          lmHead: "lm_head",
          layer: (i) => {
            const p = `transformer.h.${i}`;
            return {
              norm1: `${p}.ln_1`,
              norm2: `${p}.ln_2`,
              q: `${p}.attn.q`,
              k: `${p}.attn.k`,
              v: `${p}.attn.v`,
              qkv: `${p}.attn.c_attn`,
              o: `${p}.attn.c_proj`,
              gate: null,
              up: `${p}.mlp.c_fc`,
              down: `${p}.mlp.c_proj`,
            };
          },
        },
      };
      return { plan, config: c };
    }
    case "phi": {
      const c = parse(ZPhiConfig, config, source);
      const kvHeads = headCount(c.hidden_size, c.num_attention_heads, c.num_key_value_heads, source);
      const headDim = c.hidden_size / c.num_attention_heads;
      const rotaryDim = Math.floor(headDim * c.partial_rotary_factor);
      if (rotaryDim % 2 !== 0) throw new Error(`${source}: field "partial_rotary_factor" gives an odd rotary dimension (${rotaryDim})`);
      const plan: TModelPlan = {
        architecture: "phi",
        vocabSize: c.vocab_size,
        hidden: c.hidden_size,
        layers: c.num_hidden_layers,
        heads: c.num_attention_heads,
        kvHeads,
        headDim,
        intermediate: c.intermediate_size,
        maxPositions: c.max_position_embeddings,
        norm: { kind: "layer", eps: c.layer_norm_eps },
        positions: { kind: "rope", rotaryDim, theta: c.rope_theta, scale: ropeScale(c.rope_scaling, source) },
        mlp: { gated: false, activation: c.hidden_act, bias: true },
        qkvBias: true,
        outBias: true,
        slidingWindow: null,
        parallelResidual: true,
        fusedQkv: false,
        conv1dWeights: false,
        tieEmbeddings: c.tie_word_embeddings,
        lmHeadBias: true,
        names: {
          embed: "model.embed_tokens",
          positionEmbed: null,
          finalNorm: "model.final_layernorm",
          lmHead: "lm_head",
          layer: llamaLayerNames("model.layers", "dense", { gate: null, up: "fc1", down: "fc2" }, null),
        },
      };
      return { plan, config: c };
    }
    case "starcoder2": {
      const c = parse(ZStarcoder2Config, config, source);
      const kvHeads = headCount(c.hidden_size, c.num_attention_heads, c.num_key_value_heads, source);
      const headDim = c.hidden_size / c.num_attention_heads;
      const plan: TModelPlan = {
        architecture: "starcoder2",
        vocabSize: c.vocab_size,
        hidden: c.hidden_size,
        layers: c.num_hidden_layers,
        heads: c.num_attention_heads,
        kvHeads,
        headDim,
        intermediate: c.intermediate_size,
        maxPositions: c.max_position_embeddings,
        norm: { kind: "layer", eps: c.norm_epsilon },
        positions: { kind: "rope", rotaryDim: headDim, theta: c.rope_theta, scale: ropeScale(c.rope_scaling, source) },
        mlp: { gated: false, activation: c.hidden_act, bias: c.use_bias },
        qkvBias: c.use_bias,
        outBias: c.use_bias,
        slidingWindow: c.sliding_window ?? null,
        parallelResidual: false,
        fusedQkv: false,
        conv1dWeights: false,
        tieEmbeddings: c.tie_word_embeddings,
        lmHeadBias: false,
        names: {
          embed: "model.embed_tokens",
          positionEmbed: null,
          finalNorm: "model.norm",
          lmHead: "lm_head",
          layer: llamaLayerNames("model.layers", "o_proj", { gate: null, up: "c_fc", down: "c_proj" }, "post_attention_layernorm"),
        },
      };
      return { plan, config: c };
    }
  }
}
