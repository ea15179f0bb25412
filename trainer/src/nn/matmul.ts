// Matrix products shaped for the wasm backend. Its BatchMatMul kernel is several times faster on plain 2-D,
// untransposed operands than on transposed or batched ones (environment.md), and tfjs's built-in matMul gradient
// uses the transposed forms. So every product here is a plain matMul, and the gradients are written out with
// explicit transposes (a cheap copy) instead of the transposeA/transposeB flags.
import { tf } from "../tf";

type TCustomGrad = Parameters<typeof tf.customGrad>[0];

/** a [m, k] @ b [k, n] with a gradient made only of untransposed products. */
export function matMul2d(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const op = tf.customGrad(((x: tf.Tensor, y: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, y]);
    return {
      value: tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ys] = saved as tf.Tensor2D[];
        return [tf.matMul(dy as tf.Tensor2D, tf.transpose(ys)), tf.matMul(tf.transpose(xs), dy as tf.Tensor2D)];
      },
    };
  }) as unknown as TCustomGrad);
  return op(a, b) as tf.Tensor2D;
}

/** Batched a [n, m, k] @ b [n, k, p], gradient again without transposed products. */
export function matMul3d(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const op = tf.customGrad(((x: tf.Tensor, y: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, y]);
    return {
      value: tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ys] = saved as tf.Tensor3D[];
        return [tf.matMul(dy as tf.Tensor3D, tf.transpose(ys, [0, 2, 1])), tf.matMul(tf.transpose(xs, [0, 2, 1]), dy as tf.Tensor3D)];
      },
    };
  }) as unknown as TCustomGrad);
  return op(a, b) as tf.Tensor3D;
}

/**
 * x [m, in] @ W^T for a frozen W [out, in], given both W^T [in, out] (forward) and W (backward: dx = dy W).
 * No gradient flows to W, which is what frozen base weights want.
 */
export function frozenMatMul(x: tf.Tensor2D, weightT: tf.Tensor2D, weight: tf.Tensor2D): tf.Tensor2D {
  const op = tf.customGrad(((input: tf.Tensor, save: tf.GradSaveFunc) => {
    save([]);
    return {
      value: tf.matMul(input as tf.Tensor2D, weightT),
      gradFunc: (dy: tf.Tensor) => [tf.matMul(dy as tf.Tensor2D, weight)],
    };
  }) as unknown as TCustomGrad);
  return op(x) as tf.Tensor2D;
}
