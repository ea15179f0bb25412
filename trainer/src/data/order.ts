// Which examples go into which micro-batch, reproducibly and resumably.
//
// Each epoch visits every example once in its own shuffled order: a Fisher-Yates permutation drawn from
// mulberry32(deriveSeed(seed, epoch)). The data position is just (epoch, index) -- the next example is number `index`
// of that epoch's order -- so a checkpoint stores two integers and a resumed run continues with the same batches.
// Micro-batches never straddle an epoch: the last one of an epoch may be smaller.
//
// SafeCoder's oversampling (oversampleGroups) is applied to the example list once, before the epochs.
import { createRng, deriveSeed, shuffledRange } from "./rng";
import type { TDataPosition } from "./types";

const orderCache = new Map<string, number[]>();

/** The order in which epoch `epoch` visits examples 0..count-1. */
export function epochOrder(count: number, seed: number, epoch: number): number[] {
  const key = `${count}:${seed}:${epoch}`;
  let order = orderCache.get(key);
  if (!order) {
    order = shuffledRange(count, createRng(deriveSeed(seed, epoch)));
    if (orderCache.size > 8) orderCache.clear();
    orderCache.set(key, order);
  }
  return order;
}

export type TMicroBatchPick = {
  /** Indices into the example list. */
  indices: number[];
  /** The epoch these examples belong to. */
  epoch: number;
  /** The position after this micro-batch (store it in checkpoints). */
  next: TDataPosition;
};

/** The next micro-batch of at most `size` examples from `position`; a finished epoch rolls over to the next one. */
export function nextMicroBatch(count: number, position: TDataPosition, size: number, seed: number): TMicroBatchPick {
  if (count < 1) throw new Error("nextMicroBatch: the dataset is empty");
  if (!Number.isInteger(size) || size < 1) throw new Error(`nextMicroBatch: size must be a positive integer, got ${size}`);
  let { epoch, index } = position;
  if (index >= count) {
    epoch += 1;
    index = 0;
  }
  const end = Math.min(index + size, count);
  const indices = epochOrder(count, seed, epoch).slice(index, end);
  return { indices, epoch, next: { epoch, index: end } };
}

/** Fractional epochs done at a position (the `epoch` metric). */
export function epochsDone(position: TDataPosition, count: number): number {
  return position.epoch + Math.min(position.index, count) / count;
}

/**
 * SafeCoder's oversampling: every (CWE, language) group with fewer than k examples is brought up to exactly k by whole
 * copies of the group plus a seeded sample (without replacement) of the remainder. Groups at or above k are unchanged,
 * k = 0 changes nothing; a null CWE is its own group. The originals come first, in their order, then the added copies.
 */
export function oversampleGroups<T extends { cweId: string | null; language: string }>(items: readonly T[], k: number, seed: number): T[] {
  if (!Number.isInteger(k) || k < 0) throw new Error(`oversampleGroups: k must be a non-negative integer, got ${k}`);
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = JSON.stringify([item.cweId, item.language]);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const rng = createRng(deriveSeed(seed, 0x05afec0d));
  const added: T[] = [];
  for (const group of groups.values()) {
    const missing = k - group.length;
    if (missing <= 0) continue;
    for (let copy = 0; copy < Math.floor(missing / group.length); copy++) added.push(...group);
    const rest = missing % group.length;
    const order = shuffledRange(group.length, rng);
    for (let i = 0; i < rest; i++) added.push(group[order[i]]);
  }
  return [...items, ...added];
}
