// The one seeded PRNG of the project (mulberry32): dataset splits, distillation sampling, model initialisation and the
// trainer's data order all draw from it, so a seed means the same numbers everywhere and on every machine.

export type TSeededRandom = {
  /** Uniform in [0, 1). */
  (): number;
  /** The whole generator state (one uint32): mulberry32(state) continues the stream exactly. */
  state(): number;
};

export function mulberry32(seed: number): TSeededRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Object.assign(next, { state: () => state });
}
