// The unbiased pass@k estimator (method.md section 6): for one problem with n samples of which c pass,
// pass@k = 1 - C(n-c, k) / C(n, k). Binomials overflow long before n reaches the sample counts people use, so it is
// computed in the stable product form 1 - prod_{i=n-c+1..n} (1 - k/i), and is exactly 1 when n - c < k (every
// k-subset then contains a passing sample). A benchmark's pass@k is the mean over its problems.
import { z } from "zod";

export const ZPassCounts = z
  .object({ n: z.number().int().min(1), c: z.number().int().min(0) })
  .refine((v) => v.c <= v.n, { message: "more passing samples (c) than samples (n)" });
export type TPassCounts = z.infer<typeof ZPassCounts>;

/** pass@k of one problem with n samples, c of them passing. Throws when k is not in 1..n or c is out of range. */
export function passAtK(n: number, c: number, k: number): number {
  ZPassCounts.parse({ n, c });
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`pass@k needs an integer k >= 1, got ${k}`);
  if (k > n) throw new RangeError(`pass@${k} needs at least ${k} samples per problem, got n = ${n}`);
  if (n - c < k) return 1;
  let failAll = 1;
  for (let i = n - c + 1; i <= n; i++) failAll *= 1 - k / i;
  return 1 - failAll;
}

/**
 * Mean pass@k over problems; null when there are no problems or some problem has fewer than k samples
 * (the estimate is undefined there, and silently skipping such problems would bias the mean).
 */
export function meanPassAtK(problems: readonly TPassCounts[], k: number): number | null {
  if (problems.length === 0 || problems.some((p) => p.n < k)) return null;
  return problems.reduce((sum, p) => sum + passAtK(p.n, p.c, k), 0) / problems.length;
}
