// Seeded random numbers in plain JS, so initial weights and test checkpoints are identical on every backend.
import { mulberry32 } from "../../../lib/random";

/** The project's seeded PRNG (mulberry32, lib/random.ts); good enough for initialisation and sampling. */
export const createRng: (seed: number) => () => number = mulberry32;

/** n samples of N(0, std^2) by Box-Muller. */
export function randomNormalArray(n: number, std: number, rng: () => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u1 = Math.max(rng(), 1e-12);
    const u2 = rng();
    const r = Math.sqrt(-2 * Math.log(u1)) * std;
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

/** A stable 32-bit hash of a string (FNV-1a), to derive per-module seeds from one run seed. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
