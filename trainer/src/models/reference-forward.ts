// For tests only: tiny checkpoints of every supported family with random weights in the Hugging Face layout, and a
// slow reference forward pass written plainly (float64 JS arrays and loops, one token at a time, following the
// Hugging Face modeling code) to check the TensorFlow.js model against. Shares no code with the model.
import { createRng, randomNormalArray } from "../nn/random";
import type { TNamedArray } from "../safetensors";

type Config = Record<string, unknown>;
const num = (c: Config, key: string, fallback?: number): number => {
  const v = c[key] ?? fallback;
  if (typeof v !== "number") throw new Error(`reference: config.${key} missing`);
  return v;
};

/** The tensor names and shapes a checkpoint of this config holds, in Hugging Face layout (gpt2 Conv1D [in, out]). */
export function checkpointShapes(config: Config): [string, number[]][] {
  const type = config.model_type as string;
  const out: [string, number[]][] = [];
  if (type === "gpt2") {
    const d = num(config, "n_embd");
    const inner = num(config, "n_inner", 4 * d);
    out.push(["transformer.wte.weight", [num(config, "vocab_size"), d]], ["transformer.wpe.weight", [num(config, "n_positions"), d]]);
    for (let i = 0; i < num(config, "n_layer"); i++) {
      const p = `transformer.h.${i}`;
      out.push(
        [`${p}.ln_1.weight`, [d]], [`${p}.ln_1.bias`, [d]],
        [`${p}.attn.c_attn.weight`, [d, 3 * d]], [`${p}.attn.c_attn.bias`, [3 * d]],
        [`${p}.attn.c_proj.weight`, [d, d]], [`${p}.attn.c_proj.bias`, [d]],
        [`${p}.ln_2.weight`, [d]], [`${p}.ln_2.bias`, [d]],
        [`${p}.mlp.c_fc.weight`, [d, inner]], [`${p}.mlp.c_fc.bias`, [inner]],
        [`${p}.mlp.c_proj.weight`, [inner, d]], [`${p}.mlp.c_proj.bias`, [d]],
      );
    }
    out.push(["transformer.ln_f.weight", [d]], ["transformer.ln_f.bias", [d]]);
    return out;
  }
  const d = num(config, "hidden_size");
  const heads = num(config, "num_attention_heads");
  const kv = num(config, "num_key_value_heads", heads);
  const hd = num(config, "head_dim", d / heads);
  const ff = num(config, "intermediate_size");
  const vocab = num(config, "vocab_size");
  out.push(["model.embed_tokens.weight", [vocab, d]]);
  for (let i = 0; i < num(config, "num_hidden_layers"); i++) {
    const p = `model.layers.${i}`;
    const attnBias = type === "qwen2" || type === "phi" || (type === "starcoder2" && config.use_bias !== false) || config.attention_bias === true;
    for (const [n, o] of [["q_proj", heads * hd], ["k_proj", kv * hd], ["v_proj", kv * hd]] as const) {
      out.push([`${p}.self_attn.${n}.weight`, [o, d]]);
      if (attnBias) out.push([`${p}.self_attn.${n}.bias`, [o]]);
    }
    const oName = type === "phi" ? "dense" : "o_proj";
    out.push([`${p}.self_attn.${oName}.weight`, [d, heads * hd]]);
    if (type === "phi" || (type === "starcoder2" && config.use_bias !== false)) out.push([`${p}.self_attn.${oName}.bias`, [d]]);
    out.push([`${p}.input_layernorm.weight`, [d]]);
    if (type === "phi" || type === "starcoder2") out.push([`${p}.input_layernorm.bias`, [d]]);
    if (type !== "phi") {
      out.push([`${p}.post_attention_layernorm.weight`, [d]]);
      if (type === "starcoder2") out.push([`${p}.post_attention_layernorm.bias`, [d]]);
    }
    if (type === "phi" || type === "starcoder2") {
      const [up, down] = type === "phi" ? ["fc1", "fc2"] : ["c_fc", "c_proj"];
      out.push([`${p}.mlp.${up}.weight`, [ff, d]], [`${p}.mlp.${down}.weight`, [d, ff]]);
      if (type === "phi" || config.use_bias !== false) out.push([`${p}.mlp.${up}.bias`, [ff]], [`${p}.mlp.${down}.bias`, [d]]);
    } else {
      out.push([`${p}.mlp.gate_proj.weight`, [ff, d]], [`${p}.mlp.up_proj.weight`, [ff, d]], [`${p}.mlp.down_proj.weight`, [d, ff]]);
    }
  }
  const finalNorm = type === "phi" ? "model.final_layernorm" : "model.norm";
  out.push([`${finalNorm}.weight`, [d]]);
  if (type === "phi" || type === "starcoder2") out.push([`${finalNorm}.bias`, [d]]);
  const tied = config.tie_word_embeddings ?? type === "starcoder2";
  if (!tied) out.push(["lm_head.weight", [vocab, d]]);
  if (type === "phi") out.push(["lm_head.bias", [vocab]]);
  return out;
}

/** Random float32 tensors for a config: norms near 1, everything else N(0, std^2). */
export function randomCheckpoint(config: Config, seed: number, std = 0.2): Map<string, TNamedArray> {
  const rng = createRng(seed);
  const out = new Map<string, TNamedArray>();
  for (const [name, shape] of checkpointShapes(config)) {
    const n = shape.reduce((p, x) => p * x, 1);
    const data = randomNormalArray(n, std, rng);
    const isNormWeight = /(norm|ln_\d|ln_f)\.weight$/.test(name);
    if (isNormWeight) for (let i = 0; i < n; i++) data[i] += 1;
    out.set(name, { dtype: "F32", shape, data });
  }
  return out;
}

type Vec = Float64Array;

/** Logits [batch][seq][vocab] for ids [batch][seq] (mask: 1 real / 0 padding), computed token by token. */
export function referenceForward(config: Config, tensors: Map<string, TNamedArray>, ids: number[][], mask?: number[][]): number[][][] {
  const type = config.model_type as string;
  const get = (name: string): Float32Array => {
    const t = tensors.get(name);
    if (!t) throw new Error(`reference: missing ${name}`);
    return t.data as Float32Array;
  };
  const has = (name: string) => tensors.has(name);
  const isGpt2 = type === "gpt2";
  const d = isGpt2 ? num(config, "n_embd") : num(config, "hidden_size");
  const heads = isGpt2 ? num(config, "n_head") : num(config, "num_attention_heads");
  const kvHeads = isGpt2 ? heads : num(config, "num_key_value_heads", heads);
  const hd = isGpt2 ? d / heads : num(config, "head_dim", d / heads);
  const layers = isGpt2 ? num(config, "n_layer") : num(config, "num_hidden_layers");
  const vocab = num(config, "vocab_size");
  const eps = isGpt2 ? num(config, "layer_norm_epsilon", 1e-5) : type === "phi" ? num(config, "layer_norm_eps", 1e-5) : type === "starcoder2" ? num(config, "norm_epsilon", 1e-5) : num(config, "rms_norm_eps", 1e-6);
  const theta = num(config, "rope_theta", 10000);
  const useWindow = type === "mistral" || type === "starcoder2" || (type === "qwen2" && config.use_sliding_window === true);
  const window = useWindow && typeof config.sliding_window === "number" ? config.sliding_window : Infinity;
  const rotary = type === "phi" ? Math.floor(hd * num(config, "partial_rotary_factor", 0.5)) : hd;
  const act = (config.hidden_act ?? config.activation_function ?? (type === "llama" || type === "mistral" || type === "qwen2" ? "silu" : "gelu_new")) as string;

  // y = W x (+ b) with W [out, in] row-major; gpt2's Conv1D stores W [in, out].
  const dense = (x: Vec, prefix: string, conv1d = false): Vec => {
    const w = get(`${prefix}.weight`);
    const inp = x.length;
    const outN = w.length / inp;
    const y = new Float64Array(outN);
    for (let o = 0; o < outN; o++) {
      let s = 0;
      for (let i = 0; i < inp; i++) s += (conv1d ? w[i * outN + o] : w[o * inp + i]) * x[i];
      y[o] = s;
    }
    if (has(`${prefix}.bias`)) {
      const b = get(`${prefix}.bias`);
      for (let o = 0; o < outN; o++) y[o] += b[o];
    }
    return y;
  };
  const norm = (x: Vec, prefix: string): Vec => {
    const w = get(`${prefix}.weight`);
    const y = new Float64Array(x.length);
    if (type === "llama" || type === "mistral" || type === "qwen2") {
      let ms = 0;
      for (const v of x) ms += v * v;
      const r = 1 / Math.sqrt(ms / x.length + eps);
      for (let i = 0; i < x.length; i++) y[i] = x[i] * r * w[i];
      return y;
    }
    const b = get(`${prefix}.bias`);
    let mean = 0;
    for (const v of x) mean += v;
    mean /= x.length;
    let variance = 0;
    for (const v of x) variance += (v - mean) ** 2;
    variance /= x.length;
    const r = 1 / Math.sqrt(variance + eps);
    for (let i = 0; i < x.length; i++) y[i] = (x[i] - mean) * r * w[i] + b[i];
    return y;
  };
  const activation = (v: number): number => {
    if (act === "silu") return v / (1 + Math.exp(-v));
    if (act === "gelu") return 0.5 * v * (1 + erf(v / Math.SQRT2));
    return 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
  };
  const rope = (vec: Vec, offset: number, pos: number) => {
    const half = rotary / 2;
    const x = Array.from(vec.subarray(offset, offset + rotary));
    for (let i = 0; i < rotary; i++) {
      const f = i % half;
      const angle = pos / theta ** ((2 * f) / rotary);
      const rotated = i < half ? -x[i + half] : x[i - half];
      vec[offset + i] = x[i] * Math.cos(angle) + rotated * Math.sin(angle);
    }
  };

  const result: number[][][] = [];
  for (let b = 0; b < ids.length; b++) {
    const seq = ids[b].length;
    const keysPerLayer: Vec[][] = Array.from({ length: layers }, () => []);
    const valuesPerLayer: Vec[][] = Array.from({ length: layers }, () => []);
    const rows: number[][] = [];
    for (let t = 0; t < seq; t++) {
      const embedName = isGpt2 ? "transformer.wte.weight" : "model.embed_tokens.weight";
      const emb = get(embedName);
      let h: Vec = Float64Array.from(emb.subarray(ids[b][t] * d, (ids[b][t] + 1) * d));
      if (isGpt2) {
        const wpe = get("transformer.wpe.weight");
        for (let i = 0; i < d; i++) h[i] += wpe[t * d + i];
      }
      for (let l = 0; l < layers; l++) {
        const p = isGpt2 ? `transformer.h.${l}` : `model.layers.${l}`;
        const x = norm(h, isGpt2 ? `${p}.ln_1` : `${p}.input_layernorm`);
        let q: Vec, k: Vec, v: Vec;
        if (isGpt2) {
          const qkv = dense(x, `${p}.attn.c_attn`, true);
          q = qkv.slice(0, d);
          k = qkv.slice(d, 2 * d);
          v = qkv.slice(2 * d, 3 * d);
        } else {
          q = dense(x, `${p}.self_attn.q_proj`);
          k = dense(x, `${p}.self_attn.k_proj`);
          v = dense(x, `${p}.self_attn.v_proj`);
          for (let hh = 0; hh < heads; hh++) rope(q, hh * hd, t);
          for (let hh = 0; hh < kvHeads; hh++) rope(k, hh * hd, t);
        }
        keysPerLayer[l].push(k);
        valuesPerLayer[l].push(v);
        const attnOut = new Float64Array(heads * hd);
        for (let hh = 0; hh < heads; hh++) {
          const g = Math.floor(hh / (heads / kvHeads));
          const scores: number[] = [];
          for (let j = 0; j <= t; j++) {
            if ((mask && mask[b][j] === 0) || t - j >= window) {
              scores.push(-Infinity);
              continue;
            }
            let s = 0;
            for (let i = 0; i < hd; i++) s += q[hh * hd + i] * keysPerLayer[l][j][g * hd + i];
            scores.push(s / Math.sqrt(hd));
          }
          const max = Math.max(...scores);
          const e = scores.map((s) => (s === -Infinity ? 0 : Math.exp(s - max)));
          const z = e.reduce((a, c) => a + c, 0);
          for (let j = 0; j <= t; j++) for (let i = 0; i < hd; i++) attnOut[hh * hd + i] += (e[j] / z) * valuesPerLayer[l][j][g * hd + i];
        }
        const o = isGpt2 ? dense(attnOut, `${p}.attn.c_proj`, true) : dense(attnOut, `${p}.self_attn.${type === "phi" ? "dense" : "o_proj"}`);
        const mlp = (y: Vec): Vec => {
          if (isGpt2) return dense(dense(y, `${p}.mlp.c_fc`, true).map(activation), `${p}.mlp.c_proj`, true);
          if (type === "phi") return dense(dense(y, `${p}.mlp.fc1`).map(activation), `${p}.mlp.fc2`);
          if (type === "starcoder2") return dense(dense(y, `${p}.mlp.c_fc`).map(activation), `${p}.mlp.c_proj`);
          const gate = dense(y, `${p}.mlp.gate_proj`).map(activation);
          const up = dense(y, `${p}.mlp.up_proj`);
          return dense(gate.map((gv, i) => gv * up[i]), `${p}.mlp.down_proj`);
        };
        if (type === "phi") {
          const m = mlp(x);
          h = h.map((hv, i) => hv + o[i] + m[i]);
        } else {
          h = h.map((hv, i) => hv + o[i]);
          const m = mlp(norm(h, isGpt2 ? `${p}.ln_2` : `${p}.post_attention_layernorm`));
          h = h.map((hv, i) => hv + m[i]);
        }
      }
      const final = norm(h, isGpt2 ? "transformer.ln_f" : type === "phi" ? "model.final_layernorm" : "model.norm");
      const head = has("lm_head.weight") ? "lm_head" : isGpt2 ? "transformer.wte" : "model.embed_tokens";
      const logits = new Float64Array(vocab);
      const w = get(`${head}.weight`);
      for (let o = 0; o < vocab; o++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += w[o * d + i] * final[i];
        logits[o] = s;
      }
      if (has("lm_head.bias")) {
        const lb = get("lm_head.bias");
        for (let o = 0; o < vocab; o++) logits[o] += lb[o];
      }
      rows.push(Array.from(logits));
    }
    result.push(rows);
  }
  return result;
}

/** Abramowitz-Stegun 7.1.26 is too coarse for 1e-4 checks; this series/continued-fraction erf is accurate to ~1e-12. */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  if (a < 3) {
    // Maclaurin series
    let sum = 0;
    let term = a;
    for (let n = 0; n < 100; n++) {
      sum += term / (2 * n + 1);
      term *= (-a * a) / (n + 1);
      if (Math.abs(term) < 1e-17) break;
    }
    return (sign * 2 * sum) / Math.sqrt(Math.PI);
  }
  return sign * (1 - Math.exp(-a * a) / (a * Math.sqrt(Math.PI)) * (1 - 1 / (2 * a * a) + 3 / (4 * a ** 4)));
}
