// The optimizer pieces against hand-worked numbers: the warmup + cosine schedule, AdamW's update (PyTorch's
// formula, decoupled decay) and global-norm clipping, on the wasm backend.
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend, tf } from "../tf";
import { AdamW, clipByGlobalNorm } from "./adamw";
import { nextStepIndices, totalStepsFor } from "./order";
import { learningRateAt, warmupSteps } from "./schedule";

beforeAll(async () => {
  await initBackend("wasm");
});

describe("learningRateAt", () => {
  it("warms up linearly from 0 over ceil(5%) of the steps, then decays along a cosine to 0", () => {
    // 100 steps, 5% warmup: 5 warmup steps; step k uses lambda(k - 1) as Hugging Face's LambdaLR does.
    expect(warmupSteps(100, 0.05)).toBe(5);
    expect(warmupSteps(30, 0.05)).toBe(2); // ceil(1.5)
    expect(learningRateAt(1, 100, 1e-4, 0.05)).toBe(0);
    expect(learningRateAt(3, 100, 1e-4, 0.05)).toBeCloseTo(0.4e-4, 12);
    expect(learningRateAt(6, 100, 1e-4, 0.05)).toBeCloseTo(1e-4, 12); // first step after warmup: the peak
    // Halfway through the decay (current = 5 + 47.5): cos(pi/2) -> half the peak.
    expect(learningRateAt(6 + 47.5, 100, 1e-4, 0.05)).toBeCloseTo(0.5e-4, 12);
    expect(learningRateAt(100, 100, 1e-4, 0.05)).toBeCloseTo(1e-4 * 0.5 * (1 + Math.cos((Math.PI * 94) / 95)), 12);
    expect(learningRateAt(1, 10, 2e-5, 0)).toBe(2e-5); // no warmup: full rate at once
  });
});

describe("AdamW", () => {
  it("matches PyTorch's AdamW update computed by hand over two steps, with decoupled weight decay", () => {
    const param = tf.variable(tf.tensor1d([1, -2]), true);
    const options = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1 };
    const optimizer = new AdamW(new Map([["p", param]]), options);
    const grads = [[0.5, -1], [0.25, 2]];
    const expected = [1, -2];
    const m = [0, 0];
    const v = [0, 0];
    const lr = 0.01;
    for (let t = 1; t <= 2; t++) {
      const g = tf.tensor1d(grads[t - 1]!);
      optimizer.apply(new Map([["p", g]]), lr);
      g.dispose();
      for (let i = 0; i < 2; i++) {
        expected[i] = expected[i]! * (1 - lr * options.weightDecay);
        m[i] = 0.9 * m[i]! + 0.1 * grads[t - 1]![i]!;
        v[i] = 0.999 * v[i]! + 0.001 * grads[t - 1]![i]! ** 2;
        const denom = Math.sqrt(v[i]!) / Math.sqrt(1 - 0.999 ** t) + 1e-8;
        expected[i] = expected[i]! - (lr / (1 - 0.9 ** t)) * (m[i]! / denom);
      }
    }
    const got = param.dataSync();
    expect(got[0]).toBeCloseTo(expected[0]!, 6);
    expect(got[1]).toBeCloseTo(expected[1]!, 6);
    expect(optimizer.step).toBe(2);
    expect(Array.from(optimizer.m.get("p")!.dataSync())).toEqual([expect.closeTo(m[0]!, 6), expect.closeTo(m[1]!, 6)]);

    // Restoring the state into a fresh optimizer continues identically.
    const twin = tf.variable(param.clone(), true);
    const restored = new AdamW(new Map([["p", twin]]), options);
    restored.restore(optimizer.step, optimizer.m as Map<string, tf.Tensor>, optimizer.v as Map<string, tf.Tensor>);
    const g = tf.tensor1d([-0.3, 0.7]);
    optimizer.apply(new Map([["p", g]]), lr);
    restored.apply(new Map([["p", g]]), lr);
    expect(Array.from(twin.dataSync())).toEqual(Array.from(param.dataSync()));
    g.dispose();
    optimizer.dispose();
    restored.dispose();
    tf.dispose([param, twin]);
  });

  it("leaves no tensors behind per step", () => {
    const param = tf.variable(tf.ones([3, 2]), true);
    const optimizer = new AdamW(new Map([["p", param]]), { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 });
    const g = tf.onesLike(param);
    optimizer.apply(new Map([["p", g]]), 0.1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) optimizer.apply(new Map([["p", g]]), 0.1);
    expect(tf.memory().numTensors).toBe(before);
    g.dispose();
    optimizer.dispose();
    param.dispose();
  });
});

describe("clipByGlobalNorm", () => {
  it("reports the norm before clipping and scales to maxNorm only when above it", () => {
    const grads = new Map<string, tf.Tensor>([
      ["a", tf.tensor1d([3, 0])],
      ["b", tf.tensor2d([[0, 4]])],
    ]);
    const clipped = clipByGlobalNorm(grads, 1);
    expect(clipped.norm).toBeCloseTo(5, 5);
    expect(Array.from(clipped.grads.get("a")!.dataSync())).toEqual([expect.closeTo(0.6, 5), 0]);
    expect(Array.from(clipped.grads.get("b")!.dataSync())).toEqual([0, expect.closeTo(0.8, 5)]);
    const loose = clipByGlobalNorm(grads, 10);
    expect(Array.from(loose.grads.get("a")!.dataSync())).toEqual([3, 0]);
    tf.dispose([...grads.values(), ...clipped.grads.values(), ...loose.grads.values()]);
  });
});

describe("data order", () => {
  it("steps through a seeded permutation per epoch, the last step of an epoch taking the remainder", () => {
    expect(totalStepsFor(10, { epochs: 1, maxSteps: 0, effectiveBatchSize: 4 })).toBe(3);
    expect(totalStepsFor(10, { epochs: 1.5, maxSteps: 0, effectiveBatchSize: 4 })).toBe(5);
    expect(totalStepsFor(10, { epochs: 1, maxSteps: 7, effectiveBatchSize: 4 })).toBe(7);
    let position = { epoch: 0, index: 0 };
    const seen: number[][] = [];
    for (let s = 0; s < 3; s++) {
      const { indices, next } = nextStepIndices(10, 4, 42, position);
      seen.push(indices);
      position = next;
    }
    expect(seen.map((x) => x.length)).toEqual([4, 4, 2]);
    expect(seen.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(position).toEqual({ epoch: 1, index: 0 });
    const again = nextStepIndices(10, 4, 42, { epoch: 0, index: 4 });
    expect(again.indices).toEqual(seen[1]);
    expect(nextStepIndices(10, 4, 42, { epoch: 1, index: 0 }).indices).not.toEqual(seen[0]);
  });
});
