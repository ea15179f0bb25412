// Causal self-attention core: softmax(q k^T / sqrt(d) + mask) v, with grouped-query attention (several query heads
// share one key/value head). Two equivalent layouts: "split" runs one plain 2-D matmul per (sequence, head), the
// form wasm's matmul kernel is fastest on; "batched" runs one batched matmul over all heads (better on native
// backends that parallelise batches).
import { tf } from "../tf";
import { matMul2d, matMul3d } from "./matmul";

export type TAttentionLayout = "split" | "batched";

// Added to the scores of masked positions; finite, so a fully masked row gives a uniform distribution, never NaN.
const MASKED = -1e9;

/**
 * Additive mask [batch or 1, queryLen, pastLen + queryLen]: 0 where query i may see key j (j <= pastLen + i and key j is
 * a real token, and, with a sliding window, pastLen + i - j < slidingWindow), MASKED elsewhere. `keyMask` [batch, pastLen + queryLen] holds 1 for real tokens, 0 for padding.
 */
export function buildAttentionMask(batch: number, queryLen: number, pastLen: number, keyMask?: tf.Tensor2D, slidingWindow: number | null = null): tf.Tensor3D {
  return tf.tidy(() => {
    const total = pastLen + queryLen;
    const causal = new Float32Array(queryLen * total);
    for (let i = 0; i < queryLen; i++) {
      const position = pastLen + i;
      for (let j = position + 1; j < total; j++) causal[i * total + j] = MASKED;
      // a sliding window hides keys at distance >= window as well
      if (slidingWindow !== null) for (let j = 0; j <= position - slidingWindow; j++) causal[i * total + j] = MASKED;
    }
    let mask: tf.Tensor = tf.tensor3d(causal, [1, queryLen, total]);
    if (keyMask) {
      if (keyMask.shape[0] !== batch || keyMask.shape[1] !== total) {
        throw new Error(`attentionMask must have shape [${batch}, ${total}] (past + new tokens), got ${JSON.stringify(keyMask.shape)}`);
      }
      const padding = tf.mul(tf.sub(1, tf.cast(keyMask, "float32")), MASKED).reshape([batch, 1, total]);
      mask = tf.add(mask, padding);
    }
    // without padding the one causal mask [1, q, k] serves every sequence (broadcast, never tiled)
    return mask as tf.Tensor3D;
  });
}

/**
 * q [batch, heads, seq, headDim], k and v [batch, kvHeads, keyLen, headDim], mask [batch or 1, seq, keyLen] (additive).
 * Returns [batch, seq, heads * headDim], heads concatenated in order (what the output projection expects).
 */
export function causalAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, mask: tf.Tensor3D, layout: TAttentionLayout): tf.Tensor3D {
  return tf.tidy(() => {
    const [batch, heads, seq, headDim] = q.shape;
    const [, kvHeads, keyLen] = k.shape;
    if (heads % kvHeads !== 0) throw new Error(`attention: ${heads} query heads are not a multiple of ${kvHeads} key/value heads`);
    const group = heads / kvHeads;
    const scaled = tf.mul(q, 1 / Math.sqrt(headDim)) as tf.Tensor4D;
    if (layout === "split") {
      const qs = tf.unstack(scaled.reshape([batch * heads, seq, headDim])) as tf.Tensor2D[];
      const kTs = tf.unstack(tf.transpose(k, [0, 1, 3, 2]).reshape([batch * kvHeads, headDim, keyLen])) as tf.Tensor2D[];
      const vs = tf.unstack(v.reshape([batch * kvHeads, keyLen, headDim])) as tf.Tensor2D[];
      const masks = mask.shape[0] === 1 ? [mask.reshape([seq, keyLen]) as tf.Tensor2D] : (tf.unstack(mask) as tf.Tensor2D[]);
      const rows: tf.Tensor2D[] = [];
      for (let b = 0; b < batch; b++) {
        const outs: tf.Tensor2D[] = [];
        for (let h = 0; h < heads; h++) {
          const kv = b * kvHeads + Math.floor(h / group);
          const scores = tf.add(matMul2d(qs[b * heads + h], kTs[kv]), masks[masks.length === 1 ? 0 : b]) as tf.Tensor2D;
          outs.push(matMul2d(tf.softmax(scores) as tf.Tensor2D, vs[kv]));
        }
        rows.push(tf.concat(outs, 1));
      }
      return tf.stack(rows) as tf.Tensor3D;
    }
    const expand = (t: tf.Tensor4D): tf.Tensor3D => {
      if (group === 1) return t.reshape([batch * heads, keyLen, headDim]);
      return tf.tile(t.reshape([batch, kvHeads, 1, keyLen, headDim]), [1, 1, group, 1, 1]).reshape([batch * heads, keyLen, headDim]);
    };
    const k3 = expand(k);
    const v3 = expand(v);
    const scores = matMul3d(scaled.reshape([batch * heads, seq, headDim]), tf.transpose(k3, [0, 2, 1]));
    const masked = tf.add(scores.reshape([batch, heads, seq, keyLen]), mask.reshape([mask.shape[0], 1, seq, keyLen]));
    const probs = tf.softmax(masked).reshape([batch * heads, seq, keyLen]) as tf.Tensor3D;
    const out = matMul3d(probs, v3).reshape([batch, heads, seq, headDim]);
    return tf.transpose(out, [0, 2, 1, 3]).reshape([batch, seq, heads * headDim]) as tf.Tensor3D;
  });
}
