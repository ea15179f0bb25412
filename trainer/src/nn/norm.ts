// Normalisation layers in the two flavours the supported families use.
import { tf } from "../tf";

/** RMSNorm (llama, mistral, qwen2): x / sqrt(mean(x^2) + eps) * weight, over the last axis. */
export function rmsNorm(x: tf.Tensor, weight: tf.Tensor1D, eps: number): tf.Tensor {
  return tf.tidy(() => {
    const meanSquare = tf.mean(tf.square(x), -1, true);
    return tf.mul(tf.mul(x, tf.rsqrt(tf.add(meanSquare, eps))), weight);
  });
}

/** LayerNorm (gpt2, phi, starcoder2): (x - mean) / sqrt(var + eps) * weight + bias, over the last axis. */
export function layerNorm(x: tf.Tensor, weight: tf.Tensor1D, bias: tf.Tensor1D | null, eps: number): tf.Tensor {
  return tf.tidy(() => {
    const mean = tf.mean(x, -1, true);
    const centred = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centred), -1, true);
    const y = tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, eps))), weight);
    return bias ? tf.add(y, bias) : y;
  });
}
