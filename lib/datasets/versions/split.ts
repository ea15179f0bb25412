// Deterministic train/val/test assignment: the same pairs, fractions and seed always give the same split, so a
// frozen version can be re-derived and audited. Pure: no database, usable from the CLI and trainer.
import { z } from "zod";
import { mulberry32 } from "../../random";

export const ZSplitConfig = z
  .object({
    train: z.number().min(0).max(1),
    val: z.number().min(0).max(1),
    test: z.number().min(0).max(1),
    seed: z.number().int().min(0).max(2 ** 32 - 1),
  })
  .refine((split) => Math.abs(split.train + split.val + split.test - 1) < 1e-6, {
    message: "split fractions train + val + test must add up to 1",
  });
export type TSplitConfig = z.infer<typeof ZSplitConfig>;

/** The paper's split: 95% train, 3% validation, 2% test, seed 42. */
export const DEFAULT_SPLIT: TSplitConfig = { train: 0.95, val: 0.03, test: 0.02, seed: 42 };

export type TSplitName = "TRAIN" | "VAL" | "TEST";

/** The project's seeded PRNG (mulberry32, lib/random.ts): identical on every platform. */
export const seededRandom: (seed: number) => () => number = mulberry32;

/**
 * Rounding rule: val and test each get round(n * fraction) items (half rounds up), train gets the rest, so the three
 * counts always add up to n (e.g. 200 pairs at .95/.03/.02 -> 190/6/4). If rounding would give val + test more than n
 * (only possible for tiny n with train = 0), test is cut back first.
 */
export function splitCounts(n: number, split: TSplitConfig): Record<TSplitName, number> {
  const val = Math.min(n, Math.round(n * split.val));
  const test = Math.min(n - val, Math.round(n * split.test));
  return { TRAIN: n - val - test, VAL: val, TEST: test };
}

/**
 * Sorts the ids (so input order never matters), shuffles them with Fisher-Yates under the seed, then cuts the shuffled
 * list: the first counts.TRAIN are train, the next counts.VAL val, the rest test.
 */
export function assignSplits(ids: readonly string[], split: TSplitConfig): Map<string, TSplitName> {
  const order = [...ids].sort();
  if (new Set(order).size !== order.length) throw new Error("assignSplits: ids must be unique");
  const random = seededRandom(split.seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const counts = splitCounts(order.length, split);
  const result = new Map<string, TSplitName>();
  order.forEach((id, index) => result.set(id, index < counts.TRAIN ? "TRAIN" : index < counts.TRAIN + counts.VAL ? "VAL" : "TEST"));
  return result;
}
