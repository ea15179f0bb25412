// The contract between the model code (architectures, checkpoint loading) and everything that trains or samples
// from a model (LoRA, the training loop, generation). Architectures build their projections from `Linear` so LoRA can
// attach to any of them by its Hugging Face module path.
import type * as tf from "@tensorflow/tfjs";

/** Architectures the loader understands, as spelled in config.json's `model_type`. */
export const ARCHITECTURES = ["llama", "mistral", "qwen2", "gpt2", "phi", "starcoder2"] as const;
export type TArchitecture = (typeof ARCHITECTURES)[number];

/** One LoRA adapter on one linear layer: y += dropout(x) A^T B^T * (alpha / r). A: [r, in], B: [out, r] (PEFT's shapes). */
export type TLoraWeights = {
  a: tf.Variable; // lora_A.weight, shape [r, in]
  b: tf.Variable; // lora_B.weight, shape [out, r], initialised to zero so a fresh adapter changes nothing
  scale: number; // alpha / r
  dropout: number; // applied to the adapter's input only, and only when training
};

/**
 * A linear projection with frozen base weights in Hugging Face's layout: weight [out, in] (so y = x W^T + b), optional
 * bias [out], and an optional LoRA adapter. `apply` must accept x of shape [..., in].
 */
export interface ILinear {
  /** Hugging Face module path, e.g. "model.layers.0.self_attn.q_proj" (the weight is `${path}.weight`). */
  readonly path: string;
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: tf.Variable; // trainable = false
  bias: tf.Variable | null; // trainable = false
  lora: TLoraWeights | null;
  apply(x: tf.Tensor, options: { training: boolean; seed?: number }): tf.Tensor;
}

/** Cached keys and values per layer for incremental decoding (generation cost linear in length). */
export type TKvCache = { layers: { key: tf.Tensor; value: tf.Tensor }[]; length: number };

export interface ICausalLM {
  readonly architecture: TArchitecture;
  /** The parsed config.json (architecture-specific fields included). */
  readonly config: Record<string, unknown> & { vocab_size: number; hidden_size?: number; n_embd?: number };
  readonly vocabSize: number;
  readonly maxPositions: number;
  /**
   * Logits [batch, seq, vocab] for int32 token ids [batch, seq]. `attentionMask` [batch, seq] (1 = real token, 0 = padding;
   * right padding) keeps padded positions out of attention. With `cache`, ids are the new tokens only and the cache is
   * extended in place (the caller disposes it with `disposeCache`).
   */
  forward(
    inputIds: tf.Tensor2D,
    options: { training: boolean; attentionMask?: tf.Tensor2D; cache?: TKvCache; seed?: number },
  ): tf.Tensor3D;
  /** Every linear projection by its Hugging Face module path: LoRA's attachment points. */
  linears(): Map<string, ILinear>;
  /** Every base weight by its Hugging Face tensor name (what model.safetensors holds). */
  namedWeights(): Map<string, tf.Variable>;
  createCache(): TKvCache;
  disposeCache(cache: TKvCache): void;
  dispose(): void;
}
