// A small seeded PRNG (mulberry32) whose whole state is one uint32, so a checkpoint can store it as a number and a
// resumed run draws exactly the same numbers. Used for data order, oversampling and anything else the loop seeds.
import { mulberry32 } from "../../../lib/random";

export type TRng = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
  /** The state to store; rngFromState(state) continues from it. */
  state(): number;
};

/** mulberry32 seeded with `seed` (any integer; taken modulo 2^32). */
export function createRng(seed: number): TRng {
  const next = mulberry32(seed);
  return {
    next,
    nextInt(n: number) {
      if (!Number.isInteger(n) || n <= 0) throw new Error(`nextInt: n must be a positive integer, got ${n}`);
      return Math.floor(next() * n);
    },
    state: next.state,
  };
}

/** Continues a generator from a stored state (the state is the seed of the remaining stream). */
export const rngFromState = createRng;

/** A well-mixed seed for a sub-stream (e.g. one epoch's order) from a base seed and integers. */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

/** Fisher-Yates shuffle of 0..n-1 with the given generator. */
export function shuffledRange(n: number, rng: TRng): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
