// One decoder-only transformer that every supported family is an instance of (see architectures.ts for what
// differs: norm kind, rotary vs learned positions, gated vs plain MLP, biases, parallel residual, fused qkv).
// Activations flow as 2-D [batch * seq, hidden] between blocks, so each projection is one plain 2-D matmul.
import { activate } from "../nn/activations";
import { buildAttentionMask, causalAttention, type TAttentionLayout } from "../nn/attention";
import { Linear } from "../nn/linear";
import { layerNorm, rmsNorm } from "../nn/norm";
import { applyRotary, rotaryTables } from "../nn/rope";
import type { TWritableTensor } from "../safetensors";
import { tf } from "../tf";
import type { TModelPlan } from "./architectures";
import type { ICausalLM, ILinear, TArchitecture, TKvCache } from "./types";

type TNorm = { weight: tf.Variable; bias: tf.Variable | null };
type TBlock = {
  norm1: TNorm;
  norm2: TNorm | null;
  q: Linear | null;
  k: Linear | null;
  v: Linear | null;
  qkv: Linear | null;
  o: Linear;
  gate: Linear | null;
  up: Linear;
  down: Linear;
};

/** Base weights by Hugging Face tensor name, in our layout (Linear weights [out, in], even for gpt2's Conv1D). */
export type TWeightSource = (name: string, shape: number[]) => tf.Variable;

export class CausalLM implements ICausalLM {
  readonly architecture: TArchitecture;
  readonly config: Record<string, unknown> & { vocab_size: number; hidden_size?: number; n_embd?: number };
  readonly vocabSize: number;
  readonly maxPositions: number;
  readonly plan: TModelPlan;
  /** Where the checkpoint was loaded from (saveCausalLM copies its tokenizer files), if anywhere. */
  sourceDir: string | null = null;
  /** "split" feeds wasm's matmul plain 2-D products; "batched" suits native backends. */
  attentionLayout: TAttentionLayout;
  readonly embed: tf.Variable;
  readonly positionEmbed: tf.Variable | null;
  readonly finalNorm: TNorm;
  /** The output projection; shares the embedding's variable when the checkpoint ties them. Not a LoRA target. */
  readonly lmHead: Linear;
  private readonly blocks: TBlock[];
  private readonly ropeCache = new Map<string, { cos: tf.Tensor2D; sin: tf.Tensor2D }>();

  constructor(plan: TModelPlan, config: CausalLM["config"], weight: TWeightSource, options: { attentionLayout?: TAttentionLayout } = {}) {
    this.plan = plan;
    this.architecture = plan.architecture;
    this.config = config;
    this.vocabSize = plan.vocabSize;
    this.maxPositions = plan.maxPositions;
    this.attentionLayout = options.attentionLayout ?? (tf.getBackend() === "wasm" || tf.getBackend() === "cpu" ? "split" : "batched");
    const { hidden, heads, kvHeads, headDim, intermediate, names } = plan;
    const norm = (path: string): TNorm => ({
      weight: weight(`${path}.weight`, [hidden]),
      bias: plan.norm.kind === "layer" ? weight(`${path}.bias`, [hidden]) : null,
    });
    const linear = (path: string, out: number, inp: number, bias: boolean) =>
      new Linear(path, weight(`${path}.weight`, [out, inp]), bias ? weight(`${path}.bias`, [out]) : null);
    this.embed = weight(`${names.embed}.weight`, [plan.vocabSize, hidden]);
    this.positionEmbed = names.positionEmbed ? weight(`${names.positionEmbed}.weight`, [plan.maxPositions, hidden]) : null;
    this.blocks = [];
    for (let i = 0; i < plan.layers; i++) {
      const n = names.layer(i);
      const qOut = heads * headDim;
      const kvOut = kvHeads * headDim;
      this.blocks.push({
        norm1: norm(n.norm1),
        norm2: n.norm2 ? norm(n.norm2) : null,
        q: plan.fusedQkv ? null : linear(n.q, qOut, hidden, plan.qkvBias),
        k: plan.fusedQkv ? null : linear(n.k, kvOut, hidden, plan.qkvBias),
        v: plan.fusedQkv ? null : linear(n.v, kvOut, hidden, plan.qkvBias),
        qkv: plan.fusedQkv ? linear(n.qkv, qOut + 2 * kvOut, hidden, plan.qkvBias) : null,
        o: linear(n.o, hidden, qOut, plan.outBias),
        gate: plan.mlp.gated && n.gate ? linear(n.gate, intermediate, hidden, plan.mlp.bias) : null,
        up: linear(n.up, intermediate, hidden, plan.mlp.bias),
        down: linear(n.down, hidden, intermediate, plan.mlp.bias),
      });
    }
    this.finalNorm = norm(names.finalNorm);
    this.lmHead = plan.tieEmbeddings
      ? new Linear(names.lmHead, this.embed, plan.lmHeadBias ? weight(`${names.lmHead}.bias`, [plan.vocabSize]) : null)
      : linear(names.lmHead, plan.vocabSize, hidden, plan.lmHeadBias);
  }

  linears(): Map<string, ILinear> {
    const out = new Map<string, ILinear>();
    for (const b of this.blocks) {
      for (const l of [b.q, b.k, b.v, b.qkv, b.o, b.gate, b.up, b.down]) if (l) out.set(l.path, l);
    }
    return out;
  }

  namedWeights(): Map<string, tf.Variable> {
    const { names } = this.plan;
    const out = new Map<string, tf.Variable>();
    const addNorm = (path: string, n: TNorm) => {
      out.set(`${path}.weight`, n.weight);
      if (n.bias) out.set(`${path}.bias`, n.bias);
    };
    const addLinear = (l: Linear) => {
      out.set(`${l.path}.weight`, l.weight);
      if (l.bias) out.set(`${l.path}.bias`, l.bias);
    };
    out.set(`${names.embed}.weight`, this.embed);
    if (this.positionEmbed && names.positionEmbed) out.set(`${names.positionEmbed}.weight`, this.positionEmbed);
    this.blocks.forEach((b, i) => {
      const n = names.layer(i);
      addNorm(n.norm1, b.norm1);
      if (b.norm2 && n.norm2) addNorm(n.norm2, b.norm2);
      for (const l of [b.q, b.k, b.v, b.qkv, b.o, b.gate, b.up, b.down]) if (l) addLinear(l);
    });
    addNorm(names.finalNorm, this.finalNorm);
    if (this.plan.tieEmbeddings) {
      if (this.lmHead.bias) out.set(`${names.lmHead}.bias`, this.lmHead.bias);
    } else addLinear(this.lmHead);
    return out;
  }

  /** What model.safetensors should hold: namedWeights in the checkpoint's own layout (gpt2's Conv1D weights [in, out]). */
  checkpointTensors(): Map<string, TWritableTensor> {
    const linearPaths = new Set([...this.linears().keys()].map((p) => `${p}.weight`));
    const out = new Map<string, TWritableTensor>();
    for (const [name, v] of this.namedWeights()) {
      if (this.plan.conv1dWeights && linearPaths.has(name)) {
        const t = tf.tidy(() => tf.transpose(v));
        out.set(name, { shape: t.shape, data: t.dataSync() as Float32Array });
        t.dispose();
      } else out.set(name, { shape: v.shape, data: v.dataSync() as Float32Array });
    }
    return out;
  }

  createCache(): TKvCache {
    return { layers: [], length: 0 };
  }

  disposeCache(cache: TKvCache): void {
    for (const layer of cache.layers) {
      layer.key.dispose();
      layer.value.dispose();
    }
    cache.layers = [];
    cache.length = 0;
  }

  private rope(offset: number, seq: number): { cos: tf.Tensor2D; sin: tf.Tensor2D } | null {
    const pos = this.plan.positions;
    if (pos.kind !== "rope") return null;
    // Tables for 0..n-1 are built once per length bucket and sliced, so decoding step by step stays cheap.
    const needed = offset + seq;
    const bucket = Math.max(256, 2 ** Math.ceil(Math.log2(needed)));
    const key = String(bucket);
    let table = this.ropeCache.get(key);
    if (!table) {
      const t = rotaryTables(0, bucket, pos.rotaryDim, pos.theta, pos.scale);
      table = { cos: tf.keep(t.cos), sin: tf.keep(t.sin) };
      this.ropeCache.set(key, table);
    }
    return { cos: tf.slice(table.cos, [offset, 0], [seq, -1]), sin: tf.slice(table.sin, [offset, 0], [seq, -1]) };
  }

  private normalize(x: tf.Tensor, n: TNorm): tf.Tensor {
    return this.plan.norm.kind === "rms"
      ? rmsNorm(x, n.weight as tf.Tensor1D, this.plan.norm.eps)
      : layerNorm(x, n.weight as tf.Tensor1D, n.bias as tf.Tensor1D | null, this.plan.norm.eps);
  }

  forward(inputIds: tf.Tensor2D, options: { training: boolean; attentionMask?: tf.Tensor2D; cache?: TKvCache; seed?: number }): tf.Tensor3D {
    const { plan } = this;
    if (inputIds.rank !== 2) throw new Error(`forward: inputIds must be [batch, seq], got shape ${JSON.stringify(inputIds.shape)}`);
    const [batch, seq] = inputIds.shape;
    const cache = options.cache;
    const past = cache?.length ?? 0;
    if (plan.positions.kind === "learned" && past + seq > plan.maxPositions) {
      throw new Error(`forward: ${past + seq} positions exceed this model's ${plan.maxPositions} learned positions`);
    }
    if (!options.cache && options.attentionMask && (options.attentionMask.shape[0] !== batch || options.attentionMask.shape[1] !== seq)) {
      throw new Error(`forward: attentionMask must have shape [${batch}, ${seq}], got ${JSON.stringify(options.attentionMask.shape)}`);
    }
    const linearOptions = { training: options.training, seed: options.seed };
    return tf.tidy(() => {
      const ids = tf.cast(inputIds, "int32").reshape([batch * seq]);
      let h = tf.gather(this.embed, ids) as tf.Tensor2D; // [batch * seq, hidden]
      if (this.positionEmbed) {
        const positions = tf.tile(tf.range(past, past + seq, 1, "int32"), [batch]);
        h = tf.add(h, tf.gather(this.positionEmbed, positions));
      }
      const mask = buildAttentionMask(batch, seq, past, options.attentionMask, plan.slidingWindow);
      const rope = this.rope(past, seq);
      this.blocks.forEach((block, layer) => {
        const x = this.normalize(h, block.norm1);
        const attn = this.attention(block, layer, x, batch, seq, mask, rope, cache, linearOptions);
        if (plan.parallelResidual) {
          h = tf.add(tf.add(h, attn), this.mlp(block, x, linearOptions));
        } else {
          h = tf.add(h, attn);
          h = tf.add(h, this.mlp(block, this.normalize(h, block.norm2 as TNorm), linearOptions));
        }
      });
      if (cache) cache.length = past + seq;
      const logits = this.lmHead.apply(this.normalize(h, this.finalNorm), linearOptions);
      return logits.reshape([batch, seq, plan.vocabSize]) as tf.Tensor3D;
    });
  }

  private attention(
    block: TBlock,
    layer: number,
    x: tf.Tensor,
    batch: number,
    seq: number,
    mask: tf.Tensor3D,
    rope: { cos: tf.Tensor2D; sin: tf.Tensor2D } | null,
    cache: TKvCache | undefined,
    linearOptions: { training: boolean; seed?: number },
  ): tf.Tensor {
    const { heads, kvHeads, headDim } = this.plan;
    let q: tf.Tensor, k: tf.Tensor, v: tf.Tensor;
    if (block.qkv) {
      [q, k, v] = tf.split(block.qkv.apply(x, linearOptions), [heads * headDim, kvHeads * headDim, kvHeads * headDim], 1);
    } else {
      q = (block.q as Linear).apply(x, linearOptions);
      k = (block.k as Linear).apply(x, linearOptions);
      v = (block.v as Linear).apply(x, linearOptions);
    }
    const toHeads = (t: tf.Tensor, n: number) => tf.transpose(t.reshape([batch, seq, n, headDim]), [0, 2, 1, 3]) as tf.Tensor4D;
    let q4 = toHeads(q, heads);
    let k4 = toHeads(k, kvHeads);
    let v4 = toHeads(v, kvHeads);
    if (rope) {
      q4 = applyRotary(q4, rope.cos, rope.sin);
      k4 = applyRotary(k4, rope.cos, rope.sin);
    }
    if (cache) {
      const previous = cache.layers[layer];
      if (previous) {
        k4 = tf.concat([previous.key as tf.Tensor4D, k4], 2);
        v4 = tf.concat([previous.value as tf.Tensor4D, v4], 2);
        previous.key.dispose();
        previous.value.dispose();
      }
      cache.layers[layer] = { key: tf.keep(k4), value: tf.keep(v4) };
    }
    const out = causalAttention(q4, k4, v4, mask, this.attentionLayout);
    return block.o.apply(out.reshape([batch * seq, heads * headDim]), linearOptions);
  }

  private mlp(block: TBlock, x: tf.Tensor, linearOptions: { training: boolean; seed?: number }): tf.Tensor {
    const act = this.plan.mlp.activation;
    const up = block.up.apply(x, linearOptions);
    const hidden = block.gate ? tf.mul(activate(act, block.gate.apply(x, linearOptions)), up) : activate(act, up);
    return block.down.apply(hidden, linearOptions);
  }

  dispose(): void {
    for (const l of this.linears().values()) (l as Linear).dispose();
    this.lmHead.dispose();
    for (const v of this.namedWeights().values()) v.dispose();
    for (const t of this.ropeCache.values()) {
      t.cos.dispose();
      t.sin.dispose();
    }
    this.ropeCache.clear();
  }
}
