// Activation functions by their Hugging Face names (config.json's hidden_act / activation_function).
import { tf } from "../tf";

export const ACTIVATIONS = ["silu", "swish", "gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "relu"] as const;
export type TActivation = (typeof ACTIVATIONS)[number];

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

export function activate(name: TActivation, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    switch (name) {
      case "silu":
      case "swish":
        return tf.mul(x, tf.sigmoid(x));
      case "gelu":
        // exact: x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2))
        return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
      case "gelu_new":
      case "gelu_pytorch_tanh":
      case "gelu_fast": {
        // tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), SQRT_2_OVER_PI);
        return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
      }
      case "relu":
        return tf.relu(x);
    }
  });
}
