// Per-token log-probabilities of given labels under a model's logits: the one quantity every loss is built from
// (TRL keeps this as one small function too).
//
// Shift convention (one place, here): position t of the logits predicts the token at t + 1 of the sequence. The
// collator (data/batch.ts) does the shift: a batch's `labels[b, t]` already holds the sequence token t + 1, and its
// masks are aligned with `labels`. So tokenLogProbs pairs logits[b, t] with labels[b, t] and shifts nothing itself.
//
// No tf.gather: its gradient needs UnsortedSegmentSum, which the wasm backend lacks (environment.md). A one-hot
// product picks the label's log-probability instead, and its gradient is plain elementwise arithmetic.
import * as tf from "@tensorflow/tfjs";

/**
 * log softmax(logits)[b, t, labels[b, t]] for logits [B, T, V] and int32 labels [B, T]; returns [B, T].
 * Labels outside [0, V) (e.g. -100) give 0; callers mask padding anyway.
 */
export function tokenLogProbs(logits: tf.Tensor3D, labels: tf.Tensor2D): tf.Tensor2D {
  if (logits.rank !== 3 || labels.rank !== 2) {
    throw new Error(`tokenLogProbs: expected logits [B,T,V] and labels [B,T], got [${logits.shape}] and [${labels.shape}]`);
  }
  const [b, t, v] = logits.shape;
  if (labels.shape[0] !== b || labels.shape[1] !== t) {
    throw new Error(`tokenLogProbs: labels [${labels.shape}] do not match logits [${logits.shape}]`);
  }
  if (labels.dtype !== "int32") throw new Error(`tokenLogProbs: labels must be int32, got ${labels.dtype}`);
  return tf.tidy(() => {
    const logSoftmax = tf.logSoftmax(logits, -1);
    // oneHot's own dtype argument is broken on wasm (tfjs 4.22 writes int32 bits into the float32 buffer, so 1 reads
    // as 1.4e-45): build it as int32 and cast. losses.wasm.test.ts guards this.
    const picked = tf.cast(tf.oneHot(labels, v), "float32");
    return tf.sum(tf.mul(logSoftmax, picked), -1) as tf.Tensor2D;
  });
}

/** Sum of per-token log-probs [B, T] over a float mask [B, T] (1 = counted, fractions allowed): [B]. */
export function sequenceLogProbs(tokenLogps: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor1D {
  assertSameShape(tokenLogps, mask, "sequenceLogProbs");
  return tf.tidy(() => tf.sum(tf.mul(tokenLogps, mask), -1) as tf.Tensor1D);
}

/**
 * Mask-weighted mean of per-token values per row: sum(x * mask) / sum(mask), [B]. A row whose mask sums to 0 gets 0
 * (never 0/0): callers that must treat such rows specially test `maskCount(mask) > 0` themselves.
 */
export function maskedMeanPerRow(values: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor1D {
  assertSameShape(values, mask, "maskedMeanPerRow");
  return tf.tidy(() => {
    const total = tf.sum(tf.mul(values, mask), -1);
    const count = tf.sum(mask, -1);
    return tf.div(total, tf.maximum(count, 1e-12)) as tf.Tensor1D;
  });
}

/** How many positions each row's mask counts (sum of weights): [B]. */
export function maskCount(mask: tf.Tensor2D): tf.Tensor1D {
  return tf.sum(mask, -1) as tf.Tensor1D;
}

export function assertSameShape(a: tf.Tensor, b: tf.Tensor, where: string): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new Error(`${where}: shapes differ: [${a.shape}] vs [${b.shape}]`);
  }
}
