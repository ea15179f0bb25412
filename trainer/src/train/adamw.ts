// AdamW written over tf.Variables (not tf.train.adam) so its whole state — first and second moments and the step
// count — is ours to checkpoint and restore bit for bit. Weight decay is decoupled (Loshchilov & Hutter), applied as
// PyTorch's torch.optim.AdamW does: p <- p - lr * wd * p, then the Adam update with bias correction.
import { variableFrom } from "../lora/attach";
import { tf } from "../tf";

export type TAdamWOptions = { beta1: number; beta2: number; epsilon: number; weightDecay: number };

export class AdamW {
  /** Optimizer steps taken so far (the bias corrections use it). */
  step = 0;
  readonly m = new Map<string, tf.Variable>();
  readonly v = new Map<string, tf.Variable>();

  constructor(
    private readonly params: Map<string, tf.Variable>,
    private readonly options: TAdamWOptions,
  ) {
    for (const [name, param] of params) {
      this.m.set(name, variableFrom(tf.zerosLike(param), false));
      this.v.set(name, variableFrom(tf.zerosLike(param), false));
    }
  }

  /** One update with learning rate `lr`; `grads` holds one gradient per parameter name. */
  apply(grads: Map<string, tf.Tensor>, lr: number): void {
    this.step += 1;
    const { beta1, beta2, epsilon, weightDecay } = this.options;
    const correction1 = 1 - beta1 ** this.step;
    const correction2 = 1 - beta2 ** this.step;
    for (const [name, param] of this.params) {
      const grad = grads.get(name);
      if (!grad) throw new Error(`AdamW: no gradient for ${name}`);
      const m = this.m.get(name)!;
      const v = this.v.get(name)!;
      tf.tidy(() => {
        const nextM = m.mul(beta1).add(grad.mul(1 - beta1));
        const nextV = v.mul(beta2).add(grad.square().mul(1 - beta2));
        m.assign(nextM);
        v.assign(nextV);
        // PyTorch: denom = sqrt(v) / sqrt(correction2) + eps; p -= lr / correction1 * m / denom.
        const denom = nextV.sqrt().div(Math.sqrt(correction2)).add(epsilon);
        const decayed = weightDecay > 0 ? param.mul(1 - lr * weightDecay) : param;
        param.assign(decayed.sub(nextM.div(denom).mul(lr / correction1)));
      });
    }
  }

  /** Moments by parameter name, for checkpoints. */
  state(): { step: number; m: Map<string, tf.Variable>; v: Map<string, tf.Variable> } {
    return { step: this.step, m: this.m, v: this.v };
  }

  /** Restores moments and step from a checkpoint; every parameter's moments must be present with its shape. */
  restore(step: number, m: Map<string, tf.Tensor>, v: Map<string, tf.Tensor>): void {
    for (const [name, param] of this.params) {
      const savedM = m.get(name);
      const savedV = v.get(name);
      if (!savedM || !savedV) throw new Error(`optimizer state has no moments for ${name}`);
      for (const saved of [savedM, savedV]) {
        if (saved.shape.join("x") !== param.shape.join("x")) {
          throw new Error(`optimizer state for ${name} has shape [${saved.shape}], expected [${param.shape}]`);
        }
      }
      this.m.get(name)!.assign(savedM);
      this.v.get(name)!.assign(savedV);
    }
    this.step = step;
  }

  dispose(): void {
    for (const variable of [...this.m.values(), ...this.v.values()]) variable.dispose();
    this.m.clear();
    this.v.clear();
  }
}

/**
 * Global-norm clipping as torch.nn.utils.clip_grad_norm_: scale every gradient by min(1, maxNorm / (norm + 1e-6)).
 * Returns the clipped gradients (new tensors; the caller disposes both maps) and the norm before clipping, which is
 * what TRL logs as grad_norm.
 */
export function clipByGlobalNorm(grads: Map<string, tf.Tensor>, maxNorm: number): { grads: Map<string, tf.Tensor>; norm: number } {
  const normTensor = tf.tidy(() => tf.addN([...grads.values()].map((g) => g.square().sum())).sqrt());
  const norm = normTensor.dataSync()[0]!;
  normTensor.dispose();
  const coefficient = Math.min(1, maxNorm / (norm + 1e-6));
  const clipped = new Map<string, tf.Tensor>();
  for (const [name, grad] of grads) clipped.set(name, coefficient < 1 ? tf.mul(grad, coefficient) : tf.clone(grad));
  return { grads: clipped, norm };
}
