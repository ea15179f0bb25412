// Curve smoothing as Weights & Biases does it: an exponential moving average with debiasing, so the first points
// are not pulled towards zero. weight 0 leaves the curve as it is; weight near 1 flattens it.
//   last_t = w * last_{t-1} + (1 - w) * y_t,   norm_t = w * norm_{t-1} + (1 - w),   smoothed_t = last_t / norm_t
export function emaSmooth(values: readonly number[], weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) throw new Error(`smoothing weight must be in [0, 1), got ${weight}`);
  const out: number[] = [];
  let last = 0;
  let norm = 0;
  for (const value of values) {
    last = weight * last + (1 - weight) * value;
    norm = weight * norm + (1 - weight);
    out.push(last / norm);
  }
  return out;
}
