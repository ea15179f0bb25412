// Rotary position embeddings in the GPT-NeoX / Hugging Face "rotate half" convention: the first `rotaryDim`
// channels of each head are split into two halves (x1, x2) and rotated: x*cos + (-x2, x1)*sin, with the angle of
// pair i at position p being p / theta^(2i / rotaryDim). Channels past rotaryDim pass through (phi's partial rotary).
import { tf } from "../tf";

/** cos and sin tables [seq, rotaryDim] for positions offset .. offset + seq - 1, computed in float64. */
export function rotaryTables(offset: number, seq: number, rotaryDim: number, theta: number, positionScale = 1): { cos: tf.Tensor2D; sin: tf.Tensor2D } {
  const half = rotaryDim / 2;
  const cos = new Float32Array(seq * rotaryDim);
  const sin = new Float32Array(seq * rotaryDim);
  for (let p = 0; p < seq; p++) {
    const position = (offset + p) / positionScale;
    for (let i = 0; i < half; i++) {
      const angle = position / theta ** ((2 * i) / rotaryDim);
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      cos[p * rotaryDim + i] = cos[p * rotaryDim + i + half] = c;
      sin[p * rotaryDim + i] = sin[p * rotaryDim + i + half] = s;
    }
  }
  return { cos: tf.tensor2d(cos, [seq, rotaryDim]), sin: tf.tensor2d(sin, [seq, rotaryDim]) };
}

/** Rotates x [batch, heads, seq, headDim] with tables [seq, rotaryDim] (rotaryDim <= headDim, even). */
export function applyRotary(x: tf.Tensor4D, cos: tf.Tensor2D, sin: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const headDim = x.shape[3];
    const rotaryDim = cos.shape[1];
    const half = rotaryDim / 2;
    const rot = rotaryDim === headDim ? x : tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, rotaryDim]);
    const x1 = tf.slice(rot, [0, 0, 0, 0], [-1, -1, -1, half]);
    const x2 = tf.slice(rot, [0, 0, 0, half], [-1, -1, -1, half]);
    const rotated = tf.concat([tf.neg(x2), x1], 3);
    const out = tf.add(tf.mul(rot, cos), tf.mul(rotated, sin)) as tf.Tensor4D;
    if (rotaryDim === headDim) return out;
    return tf.concat([out, tf.slice(x, [0, 0, 0, rotaryDim], [-1, -1, -1, headDim - rotaryDim])], 3);
  });
}
