// The order examples are read in: a fresh seeded shuffle per epoch, a pure function of (seed, epoch), so a data
// position (epoch, index) is all a checkpoint needs to continue the exact same stream.
// The per-epoch permutation is the data module's (data/order.ts); this file groups it into optimizer steps.
import { epochOrder } from "../data/order";

export { epochOrder };

export type TPosition = { epoch: number; index: number };

/** Optimizer steps per epoch: every example once, the last step taking what is left (no example dropped). */
export function stepsPerEpoch(count: number, effectiveBatchSize: number): number {
  return Math.max(1, Math.ceil(count / effectiveBatchSize));
}

/** Steps of the whole run: maxSteps when set, else the (possibly fractional) epochs rounded up. */
export function totalStepsFor(count: number, config: { epochs: number; maxSteps: number; effectiveBatchSize: number }): number {
  if (config.maxSteps > 0) return config.maxSteps;
  return Math.max(1, Math.ceil(config.epochs * stepsPerEpoch(count, config.effectiveBatchSize)));
}

/**
 * The example indices of the next optimizer step from `position`, and the position after it. A step never spans two
 * epochs: the last step of an epoch is smaller, as a data loader without drop_last gives.
 */
export function nextStepIndices(
  count: number,
  effectiveBatchSize: number,
  seed: number,
  position: TPosition,
  orderCache?: { epoch: number; order: number[] },
): { indices: number[]; next: TPosition } {
  const order = orderCache && orderCache.epoch === position.epoch ? orderCache.order : epochOrder(count, seed, position.epoch);
  const end = Math.min(count, position.index + effectiveBatchSize);
  const indices = order.slice(position.index, end);
  const next = end >= count ? { epoch: position.epoch + 1, index: 0 } : { epoch: position.epoch, index: end };
  return { indices, next };
}
