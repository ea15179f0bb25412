// A linear projection in Hugging Face's layout (weight [out, in], y = x W^T + b) with an optional LoRA adapter:
// y += dropout(x) A^T B^T * scale. Inputs of any rank [..., in] are flattened to 2-D so every product is a plain
// 2-D matmul (the fast path on wasm): the frozen weight is used through a cached transposed copy W^T, rebuilt
// whenever the weight changes (a merge assigns new values or swaps the variable).
import type { ILinear, TLoraWeights } from "../models/types";
import { tf } from "../tf";
import { frozenMatMul, matMul2d } from "./matmul";
import { hashString } from "./random";

export class Linear implements ILinear {
  readonly path: string;
  readonly inFeatures: number;
  readonly outFeatures: number;
  bias: tf.Variable | null;
  lora: TLoraWeights | null = null;
  private currentWeight: tf.Variable;
  private transposed: tf.Tensor2D | null = null;
  private transposedOf: object | null = null; // the weight's dataId the cached W^T was built from

  constructor(path: string, weight: tf.Variable, bias: tf.Variable | null = null) {
    if (weight.rank !== 2) throw new Error(`${path}.weight must be 2-D [out, in], got shape ${JSON.stringify(weight.shape)}`);
    const [out, inp] = weight.shape;
    if (bias && (bias.rank !== 1 || bias.shape[0] !== out)) throw new Error(`${path}.bias must have shape [${out}], got ${JSON.stringify(bias.shape)}`);
    this.path = path;
    this.outFeatures = out;
    this.inFeatures = inp;
    this.currentWeight = weight;
    this.bias = bias;
  }

  get weight(): tf.Variable {
    return this.currentWeight;
  }

  set weight(next: tf.Variable) {
    if (next.rank !== 2 || next.shape[0] !== this.outFeatures || next.shape[1] !== this.inFeatures) {
      throw new Error(`${this.path}.weight must keep shape [${this.outFeatures}, ${this.inFeatures}], got ${JSON.stringify(next.shape)}`);
    }
    this.currentWeight = next;
    this.dropTransposed();
  }

  /** W^T [in, out], kept outside any tidy scope; `Variable.assign` replaces the dataId, which invalidates it. */
  private weightT(): tf.Tensor2D {
    const dataId = (this.currentWeight as unknown as { dataId: object }).dataId;
    if (!this.transposed || this.transposedOf !== dataId) {
      this.dropTransposed();
      this.transposed = tf.keep(tf.transpose(this.currentWeight as tf.Tensor2D));
      this.transposedOf = dataId;
    }
    return this.transposed;
  }

  private dropTransposed(): void {
    this.transposed?.dispose();
    this.transposed = null;
    this.transposedOf = null;
  }

  apply(x: tf.Tensor, options: { training: boolean; seed?: number }): tf.Tensor {
    return tf.tidy(() => {
      const lead = x.shape.slice(0, -1);
      if (x.shape[x.rank - 1] !== this.inFeatures) {
        throw new Error(`${this.path}: input's last dimension is ${x.shape[x.rank - 1]}, expected ${this.inFeatures}`);
      }
      const x2 = x.reshape([-1, this.inFeatures]) as tf.Tensor2D;
      // A trainable base weight (full fine-tuning) needs the ordinary gradient; frozen ones skip it.
      let y: tf.Tensor2D = this.currentWeight.trainable
        ? matMul2d(x2, tf.transpose(this.currentWeight as tf.Tensor2D))
        : frozenMatMul(x2, this.weightT(), this.currentWeight as tf.Tensor2D);
      if (this.bias) y = tf.add(y, this.bias);
      if (this.lora) {
        const { a, b, scale, dropout } = this.lora;
        let input = x2;
        if (options.training && dropout > 0) {
          // Seeded per module, so two layers never share a mask; callers vary `seed` per step.
          const seed = ((options.seed ?? 0) * 1000003 + hashString(this.path)) >>> 0;
          input = tf.dropout(x2, dropout, undefined, seed) as tf.Tensor2D;
        }
        const down = matMul2d(input, tf.transpose(a as tf.Tensor2D)); // [m, r]
        const up = matMul2d(down, tf.transpose(b as tf.Tensor2D)); // [m, out]
        y = tf.add(y, tf.mul(up, scale));
      }
      return y.reshape([...lead, this.outFeatures]);
    });
  }

  /** Frees the cached W^T (the variables belong to the model). */
  dispose(): void {
    this.dropTransposed();
  }
}
