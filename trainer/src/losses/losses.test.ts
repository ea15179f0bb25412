// Loss functions against independent computations: literal hand-worked values (checked with Python), plain-JS loop
// transcriptions of method.md's formulas, and finite-difference gradients through tokenLogProbs. cpu backend for
// float32 precision that does not depend on wasm.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { tokenLogProbs } from "../logprobs";
import {
  disposeLossResult,
  dpoLoss,
  lpoLoss,
  readStats,
  safecoderLoss,
  sftLoss,
  simpoLoss,
  type TLossResult,
  type TPreferenceInputs,
} from "./index";

beforeAll(async () => {
  await tf.setBackend("cpu");
  await tf.ready();
});

type M = number[][];

// ---- plain-JS references, written from method.md section 4 ----
const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const negLogSigmoid = (z: number) => softplus(-z);
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
function pick(values: number[], mask: number[]): number[] {
  return values.filter((_, i) => mask[i] > 0);
}
function sum(xs: number[]) {
  return xs.reduce((a, b) => a + b, 0);
}

// Two pairs, T = 5. Position 0 is a prompt label; pair 1's chosen row ends in padding.
const C: M = [
  [-1.0, -0.5, -2.0, -0.2, -3.0],
  [-0.3, -1.2, -0.7, -0.1, -0.9],
];
const R: M = [
  [-0.8, -1.5, -0.4, -2.5, -0.6],
  [-0.2, -0.9, -1.1, -0.3, -0.5],
];
const RESP_C: M = [
  [0, 1, 1, 1, 1],
  [0, 0, 1, 1, 0],
];
const RESP_R: M = [
  [0, 1, 1, 1, 0],
  [0, 1, 1, 1, 1],
];
const M_PLUS: M = [
  [0, 1, 0, 1, 0],
  [0, 0, 1, 0, 0],
];
const M_MINUS: M = [
  [0, 0, 1, 1, 0],
  [0, 1, 0, 0, 0],
];

function inputsOf(c: M, r: M, respC: M, respR: M, mPlus: M, mMinus: M): TPreferenceInputs {
  return {
    chosenLogps: tf.tensor2d(c),
    rejectedLogps: tf.tensor2d(r),
    chosenResponseMask: tf.tensor2d(respC),
    rejectedResponseMask: tf.tensor2d(respR),
    chosenSecurityMask: tf.tensor2d(mPlus),
    rejectedSecurityMask: tf.tensor2d(mMinus),
  };
}
const baseInputs = () => inputsOf(C, R, RESP_C, RESP_R, M_PLUS, M_MINUS);

function run(fn: () => TLossResult): { loss: number; stats: Record<string, number> } {
  const result = fn();
  const loss = result.loss.dataSync()[0];
  result.loss.dispose();
  return { loss, stats: readStats(result.stats) as Record<string, number> };
}

function refLpoPaper(c: M, r: M, respC: M, respR: M, mPlus: M, mMinus: M, s: { beta: number; gamma: number; alpha: number }) {
  const prefs: number[] = [];
  const regs: number[] = [];
  for (let i = 0; i < c.length; i++) {
    const plus = mPlus[i].map((m, t) => m * respC[i][t]);
    const minus = mMinus[i].map((m, t) => m * respR[i][t]);
    const complement = respC[i].map((m, t) => m * (1 - plus[t]));
    const delta = (s.beta / sum(plus)) * sum(pick(c[i], plus)) - (s.beta / sum(minus)) * sum(pick(r[i], minus));
    prefs.push(negLogSigmoid(delta - s.gamma));
    regs.push(sum(complement) > 0 ? -avg(pick(c[i], complement)) : 0);
  }
  return { loss: avg(prefs) + s.alpha * avg(regs), regularizer: avg(regs) };
}

function refLpoReference(c: M, r: M, respC: M, respR: M, mPlus: M, mMinus: M, s: { beta: number; gamma: number; v: number }) {
  const weighted = (x: number[], w: number[]) => sum(x.map((xi, t) => xi * w[t])) / sum(w);
  const losses: number[] = [];
  const regs: number[] = [];
  for (let i = 0; i < c.length; i++) {
    const wPlus = respC[i].map((inResp, t) => (inResp ? (mPlus[i][t] ? s.v : 1 - s.v) : 0));
    const wMinus = respR[i].map((inResp, t) => (inResp ? (mMinus[i][t] ? s.v : 1 - s.v) : 0));
    const wReg = respC[i].map((inResp, t) => (inResp ? (mPlus[i][t] ? 1 - s.v : s.v) : 0));
    const delta = s.beta * weighted(c[i], wPlus) - s.beta * weighted(r[i], wMinus);
    losses.push(negLogSigmoid(delta - s.gamma));
    regs.push(-weighted(c[i], wReg));
  }
  return avg(losses) + avg(regs);
}

function refSafeCoder(c: M, r: M, respC: M, respR: M, mPlus: M, mMinus: M) {
  const samples: number[] = [];
  for (let i = 0; i < c.length; i++) {
    const plus = mPlus[i].map((m, t) => m * respC[i][t]);
    const minus = mMinus[i].map((m, t) => m * respR[i][t]);
    samples.push(-avg(pick(c[i], plus)));
    samples.push(avg(pick(r[i], minus).map((lp) => -Math.log(Math.max(1 - Math.exp(lp), 1e-5)))));
  }
  return avg(samples);
}

describe("tokenLogProbs", () => {
  it("equals log-softmax at the label, computed in plain JS", () => {
    const logits = [
      [
        [0.1, 2.0, -1.0],
        [3.0, 0.0, 0.5],
      ],
      [
        [-2.0, -2.0, 4.0],
        [0.0, 0.0, 0.0],
      ],
    ];
    const labels = [
      [1, 0],
      [2, 1],
    ];
    const got = tf.tidy(() => tokenLogProbs(tf.tensor3d(logits), tf.tensor2d(labels, undefined, "int32")).arraySync());
    for (let b = 0; b < 2; b++) {
      for (let t = 0; t < 2; t++) {
        const row = logits[b][t];
        const logZ = Math.log(sum(row.map(Math.exp)));
        expect(got[b][t]).toBeCloseTo(row[labels[b][t]] - logZ, 5);
      }
    }
    // Hand-worked: uniform logits over 3 classes give log(1/3).
    expect(got[1][1]).toBeCloseTo(-Math.log(3), 6);
  });

  it("rejects float labels and mismatched shapes", () => {
    tf.tidy(() => {
      expect(() => tokenLogProbs(tf.zeros([1, 2, 3]) as tf.Tensor3D, tf.zeros([1, 2]) as tf.Tensor2D)).toThrow(/int32/);
      expect(() => tokenLogProbs(tf.zeros([1, 2, 3]) as tf.Tensor3D, tf.zeros([1, 3], "int32") as tf.Tensor2D)).toThrow(/match/);
    });
  });
});

describe("sftLoss", () => {
  it("is the mean NLL over the loss tokens of the whole batch", () => {
    const { loss, stats } = run(() => sftLoss({ tokenLogps: tf.tensor2d(C), lossMask: tf.tensor2d(RESP_C) }));
    // (0.5 + 2 + 0.2 + 3 + 0.7 + 0.1) / 6
    expect(loss).toBeCloseTo(6.5 / 6, 6);
    expect(stats.nll_loss).toBeCloseTo(6.5 / 6, 6);
  });

  it("gives 0, not NaN, for an all-zero mask", () => {
    const { loss } = run(() => sftLoss({ tokenLogps: tf.tensor2d(C), lossMask: tf.zeros([2, 5]) as tf.Tensor2D }));
    expect(Math.abs(loss)).toBe(0);
  });
});

describe("dpoLoss", () => {
  it("matches the hand-worked value and TRL's reward statistics", () => {
    const ref = { chosen: [-5.0, -1.0], rejected: [-4.0, -2.0] };
    const { loss, stats } = run(() =>
      dpoLoss({ ...baseInputs(), refChosenLogps: tf.tensor1d(ref.chosen), refRejectedLogps: tf.tensor1d(ref.rejected) }, { beta: 2 }),
    );
    // Response sums: chosen -5.7, -0.8; rejected -4.4, -2.8. Logits: 2*((-0.7)-(-0.4)) = -0.6 and 2*(0.2-(-0.8)) = 2.0.
    expect(loss).toBeCloseTo(0.5822079807644289, 5);
    expect(stats["rewards/chosen"]).toBeCloseTo(avg([2 * -0.7, 2 * 0.2]), 5);
    expect(stats["rewards/rejected"]).toBeCloseTo(avg([2 * -0.4, 2 * -0.8]), 5);
    expect(stats["rewards/margins"]).toBeCloseTo(avg([-0.6, 2.0]), 5);
    expect(stats["rewards/accuracies"]).toBeCloseTo(0.5, 6);
    expect(stats["logps/chosen"]).toBeCloseTo(avg([-5.7, -0.8]), 5);
    expect(stats["logps/rejected"]).toBeCloseTo(avg([-4.4, -2.8]), 5);
    expect(stats.nll_loss).toBeCloseTo(6.5 / 6, 5);
  });

  it("is log 2 when policy and reference agree", () => {
    const { loss } = run(() =>
      dpoLoss({ ...baseInputs(), refChosenLogps: tf.tensor1d([-5.7, -0.8]), refRejectedLogps: tf.tensor1d([-4.4, -2.8]) }, { beta: 2 }),
    );
    expect(loss).toBeCloseTo(Math.LN2, 6);
  });
});

describe("simpoLoss", () => {
  it("matches the hand-worked value (length-normalised, gamma)", () => {
    const { loss, stats } = run(() => simpoLoss(baseInputs(), { beta: 2, gamma: 0.5 }));
    expect(loss).toBeCloseTo(0.7837116863796335, 5);
    expect(stats["rewards/chosen"]).toBeCloseTo(avg([(2 * -5.7) / 4, (2 * -0.8) / 2]), 5);
    expect(stats["rewards/rejected"]).toBeCloseTo(avg([(2 * -4.4) / 3, (2 * -2.8) / 4]), 5);
    expect(stats["logps/chosen"]).toBeCloseTo(avg([-5.7 / 4, -0.8 / 2]), 5);
  });
});

describe("lpoLoss", () => {
  const paper = { beta: 10, gamma: 5.4, alpha: 0.05, form: "paper" as const, maskWeight: 0.999999, emptyMask: "whole-response" as const };

  it("paper form matches the hand-worked value and a plain-JS transcription", () => {
    const { loss, stats } = run(() => lpoLoss(baseInputs(), paper));
    // Pair 0: Delta = 10*(-0.35) - 10*(-1.45) = 11; pair 1: 10*(-0.7) - 10*(-0.9) = 2; reg 2.5 and 0.1.
    expect(loss).toBeCloseTo(1.7832597569259057, 5);
    expect(loss).toBeCloseTo(refLpoPaper(C, R, RESP_C, RESP_R, M_PLUS, M_MINUS, paper).loss, 5);
    expect(stats.regularizer).toBeCloseTo(1.3, 5);
    expect(stats["rewards/chosen"]).toBeCloseTo(avg([-3.5, -7]), 5);
    expect(stats["rewards/rejected"]).toBeCloseTo(avg([-14.5, -9]), 5);
    expect(stats["rewards/margins"]).toBeCloseTo(avg([11, 2]), 5);
    expect(stats["rewards/accuracies"]).toBe(1);
    expect(stats["logps/chosen"]).toBeCloseTo(avg([-0.35, -0.7]), 5);
    expect(stats["mask_fraction/chosen"]).toBeCloseTo(3 / 6, 6);
    expect(stats["mask_fraction/rejected"]).toBeCloseTo(3 / 7, 6);
    expect(stats.skipped_pairs).toBe(0);
  });

  it("alpha 0 drops the regularizer", () => {
    const withReg = run(() => lpoLoss(baseInputs(), paper)).loss;
    const without = run(() => lpoLoss(baseInputs(), { ...paper, alpha: 0 })).loss;
    expect(withReg - without).toBeCloseTo(0.05 * 1.3, 5);
  });

  it("reference form (soft masks, weighted means, regularizer weight 1) matches a plain-JS transcription", () => {
    for (const v of [0.999999, 0.9, 0.6]) {
      const { loss } = run(() => lpoLoss(baseInputs(), { ...paper, form: "reference", maskWeight: v }));
      expect(loss).toBeCloseTo(refLpoReference(C, R, RESP_C, RESP_R, M_PLUS, M_MINUS, { beta: 10, gamma: 5.4, v }), 4);
    }
    // With v -> 1 the reference form is the paper form with alpha 1.
    const nearlyHard = run(() => lpoLoss(baseInputs(), { ...paper, form: "reference", maskWeight: 0.999999 })).loss;
    expect(nearlyHard).toBeCloseTo(refLpoPaper(C, R, RESP_C, RESP_R, M_PLUS, M_MINUS, { ...paper, alpha: 1 }).loss, 3);
  });

  describe("empty masks", () => {
    // Pair 1 has no m- token inside its response (its only mark sits on a prompt position).
    const emptyMinus: M = [
      [0, 0, 1, 1, 0],
      [1, 0, 0, 0, 0],
    ];

    it("whole-response: the response stands in for the empty mask", () => {
      const { loss, stats } = run(() => lpoLoss(inputsOf(C, R, RESP_C, RESP_R, M_PLUS, emptyMinus), paper));
      const expected = refLpoPaper(C, R, RESP_C, RESP_R, M_PLUS, [emptyMinus[0], RESP_R[1]], paper).loss;
      expect(loss).toBeCloseTo(expected, 5);
      expect(stats.skipped_pairs).toBe(0);
    });

    it("skip: the pair's preference term is left out, the regularizer still counts every pair", () => {
      const { loss, stats } = run(() => lpoLoss(inputsOf(C, R, RESP_C, RESP_R, M_PLUS, emptyMinus), { ...paper, emptyMask: "skip" }));
      // Only pair 0's preference term (Delta 11) plus alpha * mean(2.5, 0.1).
      expect(loss).toBeCloseTo(negLogSigmoid(11 - 5.4) + 0.05 * 1.3, 5);
      expect(stats.skipped_pairs).toBe(1);
      expect(stats["rewards/margins"]).toBeCloseTo(11, 4);
    });

    it("skip with every pair empty: the loss is the regularizer alone, no NaN", () => {
      const zeros = [
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],
      ];
      const { loss, stats } = run(() => lpoLoss(inputsOf(C, R, RESP_C, RESP_R, zeros, zeros), { ...paper, emptyMask: "skip" }));
      // Empty m+ means ~m+ is the whole response: reg = mean NLL of y+ per pair.
      const reg = avg([avg([0.5, 2, 0.2, 3]), avg([0.7, 0.1])]);
      expect(loss).toBeCloseTo(0.05 * reg, 5);
      expect(stats.skipped_pairs).toBe(2);
      for (const value of [loss, ...Object.values(stats)]) expect(Number.isFinite(value)).toBe(true);
    });

    it("an all-masked y+ adds no regularizer (empty ~m+), no NaN", () => {
      const { loss, stats } = run(() => lpoLoss(inputsOf(C, R, RESP_C, RESP_R, RESP_C, M_MINUS), paper));
      expect(loss).toBeCloseTo(refLpoPaper(C, R, RESP_C, RESP_R, RESP_C, M_MINUS, paper).loss, 5);
      expect(stats.regularizer).toBe(0);
    });
  });

  it("stays finite for extreme log-probs", () => {
    const big = C.map((row) => row.map((x) => x * 1e4));
    const { loss, stats } = run(() => lpoLoss(inputsOf(big, R, RESP_C, RESP_R, M_PLUS, M_MINUS), paper));
    expect(Number.isFinite(loss)).toBe(true);
    for (const value of Object.values(stats)) expect(Number.isFinite(value)).toBe(true);
  });
});

describe("safecoderLoss", () => {
  it("matches a plain-JS transcription and hand-worked parts", () => {
    const { loss, stats } = run(() => safecoderLoss(baseInputs(), { emptyMask: "whole-response" }));
    expect(loss).toBeCloseTo(refSafeCoder(C, R, RESP_C, RESP_R, M_PLUS, M_MINUS), 5);
    // Secure samples: mean_{m+} NLL = 0.35 and 0.7.
    expect(stats.nll_loss).toBeCloseTo(avg([0.35, 0.7]), 5);
    // Hand-worked unlikelihood of pair 1's one m- token: -log(1 - e^-0.9).
    const ul1 = -Math.log(1 - Math.exp(-0.9));
    const ul0 = avg([-Math.log(1 - Math.exp(-0.4)), -Math.log(1 - Math.exp(-2.5))]);
    expect(loss).toBeCloseTo(avg([0.35, ul0, 0.7, ul1]), 5);
  });

  it("adds utility samples' plain NLL as extra samples", () => {
    const utility = [[-0.5, -1.5, 0]];
    const utilityMask = [[1, 1, 0]];
    const { loss } = run(() =>
      safecoderLoss(
        {
          ...inputsOf([C[0]], [R[0]], [RESP_C[0]], [RESP_R[0]], [M_PLUS[0]], [M_MINUS[0]]),
          utilityLogps: tf.tensor2d(utility),
          utilityResponseMask: tf.tensor2d(utilityMask),
        },
        { emptyMask: "whole-response" },
      ),
    );
    const ul0 = avg([-Math.log(1 - Math.exp(-0.4)), -Math.log(1 - Math.exp(-2.5))]);
    expect(loss).toBeCloseTo(avg([0.35, ul0, 1.0]), 5);
  });

  it("clamps 1 - p at 1e-5 (a certain insecure token costs -log 1e-5, not Infinity)", () => {
    const { loss } = run(() =>
      safecoderLoss(inputsOf([[0, -1]], [[0, 0]], [[0, 1]], [[0, 1]], [[0, 1]], [[0, 1]]), { emptyMask: "whole-response" }),
    );
    expect(loss).toBeCloseTo(avg([1, -Math.log(1e-5)]), 4);
  });

  it("empty masks: whole-response stands in, skip leaves the sample out, all skipped gives 0", () => {
    const zeros = [
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ];
    const whole = run(() => safecoderLoss(inputsOf(C, R, RESP_C, RESP_R, zeros, M_MINUS), { emptyMask: "whole-response" }));
    expect(whole.loss).toBeCloseTo(refSafeCoder(C, R, RESP_C, RESP_R, RESP_C, M_MINUS), 5);
    const skip = run(() => safecoderLoss(inputsOf(C, R, RESP_C, RESP_R, zeros, M_MINUS), { emptyMask: "skip" }));
    const ul1 = -Math.log(1 - Math.exp(-0.9));
    const ul0 = avg([-Math.log(1 - Math.exp(-0.4)), -Math.log(1 - Math.exp(-2.5))]);
    expect(skip.loss).toBeCloseTo(avg([ul0, ul1]), 5);
    expect(skip.stats.skipped_pairs).toBe(2);
    const none = run(() => safecoderLoss(inputsOf(C, R, RESP_C, RESP_R, zeros, zeros), { emptyMask: "skip" }));
    expect(none.loss).toBe(0);
    for (const value of Object.values(none.stats)) expect(Number.isFinite(value)).toBe(true);
  });
});

// ---- gradients: d loss / d logits through tokenLogProbs, against central differences ----

const P = 2;
const T = 4;
const V = 5;
const LABELS = [
  [1, 3, 0, 2],
  [4, 4, 1, 0],
  [2, 0, 3, 1],
  [0, 1, 2, 3],
]; // rows: chosen 0, chosen 1, rejected 0, rejected 1
const RESP = [
  [0, 1, 1, 1],
  [0, 1, 1, 0],
  [0, 1, 1, 1],
  [0, 1, 1, 1],
];
const SEC = [
  [0, 1, 0, 1],
  [0, 0, 1, 0],
  [0, 1, 1, 0],
  [0, 0, 0, 1],
];

function seededLogits(): Float32Array {
  let s = 12345;
  const out = new Float32Array(2 * P * T * V);
  for (let i = 0; i < out.length; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    out[i] = (s / 2 ** 31) * 4 - 2;
  }
  return out;
}

function preferenceFromLogits(logits: tf.Tensor3D): TPreferenceInputs {
  const logps = tokenLogProbs(logits, tf.tensor2d(LABELS, undefined, "int32"));
  const [chosenLogps, rejectedLogps] = tf.split(logps, 2, 0) as tf.Tensor2D[];
  return {
    chosenLogps,
    rejectedLogps,
    chosenResponseMask: tf.tensor2d(RESP.slice(0, P)),
    rejectedResponseMask: tf.tensor2d(RESP.slice(P)),
    chosenSecurityMask: tf.tensor2d(SEC.slice(0, P)),
    rejectedSecurityMask: tf.tensor2d(SEC.slice(P)),
  };
}

function checkGradient(lossOf: (logits: tf.Tensor3D) => tf.Scalar) {
  const base = seededLogits();
  const analytic = tf.tidy(() => tf.grad((x: tf.Tensor) => lossOf(x as tf.Tensor3D))(tf.tensor3d(base, [2 * P, T, V])).dataSync());
  const evalAt = (values: Float32Array) => tf.tidy(() => lossOf(tf.tensor3d(values, [2 * P, T, V])).dataSync()[0]);
  const eps = 5e-3;
  let maxAbs = 0;
  for (let i = 0; i < base.length; i++) maxAbs = Math.max(maxAbs, Math.abs(analytic[i]));
  expect(maxAbs).toBeGreaterThan(1e-3); // the check must not pass on an all-zero gradient
  for (let i = 0; i < base.length; i++) {
    const plus = Float32Array.from(base);
    const minus = Float32Array.from(base);
    plus[i] += eps;
    minus[i] -= eps;
    const numeric = (evalAt(plus) - evalAt(minus)) / (2 * eps);
    expect(Math.abs(numeric - analytic[i])).toBeLessThanOrEqual(1e-2 * Math.max(Math.abs(numeric), maxAbs * 0.1) + 2e-4);
  }
}

describe("gradients w.r.t. the logits match central differences", () => {
  it("sft", () => {
    checkGradient((logits) => sftLoss({ tokenLogps: tokenLogProbs(logits, tf.tensor2d(LABELS, undefined, "int32")), lossMask: tf.tensor2d(RESP) }).loss);
  });
  it("dpo", () => {
    checkGradient((logits) => dpoLoss({ ...preferenceFromLogits(logits), refChosenLogps: tf.tensor1d([-4, -3]), refRejectedLogps: tf.tensor1d([-3.5, -4]) }, { beta: 2 }).loss);
  });
  it("simpo", () => {
    checkGradient((logits) => simpoLoss(preferenceFromLogits(logits), { beta: 2, gamma: 0.5 }).loss);
  });
  it("lpo paper form", () => {
    checkGradient((logits) => lpoLoss(preferenceFromLogits(logits), { beta: 2, gamma: 0.5, alpha: 0.5, form: "paper", maskWeight: 0.9, emptyMask: "whole-response" }).loss);
  });
  it("lpo reference form", () => {
    checkGradient((logits) => lpoLoss(preferenceFromLogits(logits), { beta: 2, gamma: 0.5, alpha: 0.05, form: "reference", maskWeight: 0.8, emptyMask: "skip" }).loss);
  });
  it("safecoder", () => {
    checkGradient((logits) => safecoderLoss(preferenceFromLogits(logits), { emptyMask: "whole-response" }).loss);
  });
});

describe("tensor hygiene", () => {
  it("a loss call leaves only its result behind, and disposing it returns numTensors to where it was", () => {
    const inputs = baseInputs();
    const refs = { refChosenLogps: tf.tensor1d([-5, -1]), refRejectedLogps: tf.tensor1d([-4, -2]) };
    const settings = { beta: 10, gamma: 5.4, alpha: 0.05, form: "paper" as const, maskWeight: 0.999999, emptyMask: "skip" as const };
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      for (const result of [
        lpoLoss(inputs, settings),
        lpoLoss(inputs, { ...settings, form: "reference" }),
        safecoderLoss(inputs, settings),
        simpoLoss(inputs, settings),
        dpoLoss({ ...inputs, ...refs }, settings),
        sftLoss({ tokenLogps: inputs.chosenLogps, lossMask: inputs.chosenResponseMask }),
      ]) {
        disposeLossResult(result);
      }
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});
