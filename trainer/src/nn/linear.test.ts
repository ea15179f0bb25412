// Linear: base projection and LoRA against plain-JS matrix products, gradients against hand-derived formulas,
// the cached W^T following weight changes (merges), and seeded dropout only in training.
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend, tf } from "../tf";
import { Linear } from "./linear";
import { createRng, randomNormalArray } from "./random";

beforeAll(async () => {
  await initBackend(process.env.DISCO_TF_BACKEND === "cpu" ? "cpu" : "wasm");
});

const rng = createRng(7);
const rand = (rows: number, cols: number) => Array.from({ length: rows }, () => Array.from(randomNormalArray(cols, 1, rng)));
// plain matrix product of row-major arrays
const mm = (a: number[][], b: number[][]) => a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
const T = (a: number[][]) => a[0].map((_, j) => a.map((row) => row[j]));
const close = (a: number[][], b: number[][], tol = 1e-4) => {
  let worst = 0;
  a.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i][j])))));
  expect(worst).toBeLessThanOrEqual(tol);
};

const IN = 6, OUT = 5, R = 3, M = 4;
const W = rand(OUT, IN), bias = rand(1, OUT)[0], X = rand(M, IN), A = rand(R, IN), B = rand(OUT, R);

function makeLinear(withLora: boolean, dropout = 0) {
  const linear = new Linear("model.layers.0.self_attn.q_proj", tf.variable(tf.tensor2d(W), false), tf.variable(tf.tensor1d(bias), false));
  if (withLora) linear.lora = { a: tf.variable(tf.tensor2d(A)), b: tf.variable(tf.tensor2d(B)), scale: 2, dropout };
  return linear;
}

describe("Linear", () => {
  it("computes x W^T + b for inputs of any rank", () => {
    const linear = makeLinear(false);
    const expected = mm(X, T(W)).map((row) => row.map((v, j) => v + bias[j]));
    close(tf.tidy(() => linear.apply(tf.tensor2d(X), { training: false }).arraySync() as number[][]), expected);
    const y3 = tf.tidy(() => linear.apply(tf.tensor3d([X.slice(0, 2), X.slice(2, 4)]), { training: false }).arraySync() as number[][][]);
    close([...y3[0], ...y3[1]], expected);
    expect(() => tf.tidy(() => linear.apply(tf.zeros([2, IN + 1]), { training: false }))).toThrow(/last dimension is 7, expected 6/);
  });

  it("adds the LoRA term x A^T B^T * scale", () => {
    const linear = makeLinear(true);
    const base = mm(X, T(W)).map((row) => row.map((v, j) => v + bias[j]));
    const lora = mm(mm(X, T(A)), T(B));
    close(tf.tidy(() => linear.apply(tf.tensor2d(X), { training: false }).arraySync() as number[][]), base.map((row, i) => row.map((v, j) => v + 2 * lora[i][j])));
  });

  it("gives the hand-derived gradients for A, B and x, and none for the frozen weight", () => {
    const linear = makeLinear(true);
    const Rw = rand(M, OUT); // loss = sum(R .* y)
    const x = tf.tensor2d(X);
    const r = tf.tensor2d(Rw);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(linear.apply(x, { training: true }), r)) as tf.Scalar);
    const lora = linear.lora!;
    expect(Object.keys(grads).sort()).toEqual([lora.a.name, lora.b.name].sort());
    // dL/dB = scale * R^T (X A^T); dL/dA = scale * (R B)^T X
    close(grads[lora.b.name].arraySync() as number[][], mm(T(Rw), mm(X, T(A))).map((row) => row.map((v) => 2 * v)));
    close(grads[lora.a.name].arraySync() as number[][], mm(T(mm(Rw, B)), X).map((row) => row.map((v) => 2 * v)));
    // dL/dx = R W + scale * R B A
    const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(linear.apply(input, { training: false }), r)))(x);
    const rba = mm(mm(Rw, B), A);
    close(dx.arraySync() as number[][], mm(Rw, W).map((row, i) => row.map((v, j) => v + 2 * rba[i][j])));
    tf.dispose([x, r, dx, ...Object.values(grads)]);
  });

  it("follows the weight after assign() or replacement (the cached W^T is rebuilt)", () => {
    const linear = makeLinear(false);
    const x = tf.tensor2d(X);
    tf.tidy(() => linear.apply(x, { training: false }));
    const W2 = rand(OUT, IN);
    linear.weight.assign(tf.tensor2d(W2));
    const expected = mm(X, T(W2)).map((row) => row.map((v, j) => v + bias[j]));
    close(tf.tidy(() => linear.apply(x, { training: false }).arraySync() as number[][]), expected);
    const W3 = rand(OUT, IN);
    linear.weight = tf.variable(tf.tensor2d(W3), false);
    close(tf.tidy(() => linear.apply(x, { training: false }).arraySync() as number[][]), mm(X, T(W3)).map((row) => row.map((v, j) => v + bias[j])));
    expect(() => (linear.weight = tf.variable(tf.zeros([2, 2]), false))).toThrow(/must keep shape \[5, 6\]/);
  });

  it("applies seeded dropout to the adapter input only when training", () => {
    const linear = makeLinear(true, 0.5);
    const x = tf.tensor2d(X);
    const run = (training: boolean, seed: number) => tf.tidy(() => linear.apply(x, { training, seed }).arraySync() as number[][]);
    const evalOut = run(false, 1);
    close(run(false, 2), evalOut, 0); // no dropout outside training
    const a = run(true, 1);
    close(run(true, 1), a, 0); // same seed, same mask
    expect(run(true, 2)).not.toEqual(a);
    expect(a).not.toEqual(evalOut);
    // the base path never sees dropout: with B = 0 training equals eval
    linear.lora!.b.assign(tf.zerosLike(linear.lora!.b));
    close(run(true, 3), run(false, 0), 1e-6);
    x.dispose();
  });

  it("leaks no tensors across calls after the first", () => {
    const linear = makeLinear(true, 0.1);
    const x = tf.tensor2d(X);
    tf.tidy(() => linear.apply(x, { training: true, seed: 1 }));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const { value, grads } = tf.variableGrads(() => tf.sum(linear.apply(x, { training: true, seed: i })) as tf.Scalar);
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe("wasm extras", () => {
  it("has an UnsortedSegmentSum kernel, so gather has a gradient (trainable embeddings)", () => {
    const table = tf.variable(tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]));
    const ids = tf.tensor1d([2, 0, 2, 3], "int32");
    const w = tf.tensor2d([[1, 10], [2, 20], [3, 30], [4, 40]]);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(tf.gather(table, ids), w)) as tf.Scalar);
    // row 0 gets w[1]; row 2 gets w[0] + w[2]; row 3 gets w[3]; row 1 nothing
    expect(grads[table.name].arraySync()).toEqual([[2, 20], [0, 0], [4, 40], [4, 40]]);
    const direct = tf.unsortedSegmentSum(tf.tensor2d([[1, 1], [2, 2], [3, 3]]), tf.tensor1d([1, 1, 0], "int32"), 3);
    expect(direct.arraySync()).toEqual([[3, 3], [3, 3], [0, 0]]);
    tf.dispose([table, ids, w, direct, ...Object.values(grads)]);
  });
});
