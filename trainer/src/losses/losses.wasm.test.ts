// The losses on the wasm backend (the one that trains here): gradients through tokenLogProbs (one-hot, no gather)
// and -softplus(-z) (no tf.logSigmoid) must run there and agree with the cpu backend.
import { describe, expect, it } from "vitest";
import { initBackend, tf } from "../tf";
import { tokenLogProbs } from "../logprobs";
import { dpoLoss, lpoLoss, safecoderLoss, simpoLoss, sftLoss, type TLossResult, type TPreferenceInputs } from "./index";

const LABELS = [
  [1, 3, 0, 2, 6],
  [4, 4, 1, 0, 5],
  [2, 0, 3, 1, 1],
  [0, 1, 2, 3, 7],
];
const RESP = [
  [0, 1, 1, 1, 1],
  [0, 1, 1, 0, 0],
  [0, 1, 1, 1, 0],
  [0, 1, 1, 1, 1],
];
const SEC = [
  [0, 1, 0, 1, 0],
  [0, 0, 0, 0, 0], // empty m+: exercises the empty-mask rule on wasm too
  [0, 1, 1, 0, 0],
  [0, 0, 0, 1, 1],
];
const SHAPE: [number, number, number] = [4, 5, 8];

function logitsValues(): Float32Array {
  const out = new Float32Array(SHAPE[0] * SHAPE[1] * SHAPE[2]);
  for (let i = 0; i < out.length; i++) out[i] = Math.sin(i * 1.7) * 2;
  return out;
}

function inputs(logits: tf.Tensor3D): TPreferenceInputs {
  const logps = tokenLogProbs(logits, tf.tensor2d(LABELS, undefined, "int32"));
  const [chosenLogps, rejectedLogps] = tf.split(logps, 2, 0) as tf.Tensor2D[];
  return {
    chosenLogps,
    rejectedLogps,
    chosenResponseMask: tf.tensor2d(RESP.slice(0, 2)),
    rejectedResponseMask: tf.tensor2d(RESP.slice(2)),
    chosenSecurityMask: tf.tensor2d(SEC.slice(0, 2)),
    rejectedSecurityMask: tf.tensor2d(SEC.slice(2)),
  };
}

const LOSSES: Record<string, (logits: tf.Tensor3D) => TLossResult> = {
  sft: (l) => sftLoss({ tokenLogps: tokenLogProbs(l, tf.tensor2d(LABELS, undefined, "int32")), lossMask: tf.tensor2d(RESP) }),
  dpo: (l) => dpoLoss({ ...inputs(l), refChosenLogps: tf.tensor1d([-6, -4]), refRejectedLogps: tf.tensor1d([-5, -7]) }, { beta: 2 }),
  simpo: (l) => simpoLoss(inputs(l), { beta: 2, gamma: 0.5 }),
  lpo: (l) => lpoLoss(inputs(l), { beta: 10, gamma: 5.4, alpha: 0.05, form: "paper", maskWeight: 0.999999, emptyMask: "whole-response" }),
  "lpo-reference": (l) => lpoLoss(inputs(l), { beta: 10, gamma: 5.4, alpha: 1, form: "reference", maskWeight: 0.9, emptyMask: "skip" }),
  safecoder: (l) => safecoderLoss(inputs(l), { emptyMask: "skip" }),
};

function lossAndGrad(name: string): { loss: number; grad: Float32Array } {
  return tf.tidy(() => {
    const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => LOSSES[name](x as tf.Tensor3D).loss)(tf.tensor3d(logitsValues(), SHAPE));
    return { loss: value.dataSync()[0], grad: grad.dataSync() as Float32Array };
  });
}

describe("losses on wasm", () => {
  it("every loss and its gradient w.r.t. the logits agree with the cpu backend, with no tensor left behind", async () => {
    expect(await initBackend("wasm")).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
    const onWasm: Record<string, { loss: number; grad: Float32Array }> = {};
    const before = tf.memory().numTensors;
    for (const name of Object.keys(LOSSES)) onWasm[name] = lossAndGrad(name);
    expect(tf.memory().numTensors).toBe(before);
    await tf.setBackend("cpu");
    for (const name of Object.keys(LOSSES)) {
      const onCpu = lossAndGrad(name);
      expect(Number.isFinite(onWasm[name].loss)).toBe(true);
      expect(onWasm[name].loss).toBeCloseTo(onCpu.loss, 4);
      const scale = Math.max(...Array.from(onCpu.grad, Math.abs));
      expect(scale).toBeGreaterThan(0);
      for (let i = 0; i < onCpu.grad.length; i++) expect(Math.abs(onWasm[name].grad[i] - onCpu.grad[i])).toBeLessThan(1e-4 * Math.max(1, scale));
    }
  });
});
