// A training run's configuration: one zod schema shared by the launch form, the API, the CLI and the trainer, with
// the paper's presets (docs/method.md section 4) and a one-line reason for every default. Tiny enough to import from
// the web app (no TensorFlow here).
import { z } from "zod";

export const TRAINING_METHODS = ["sft", "dpo", "simpo", "lpo", "safecoder"] as const;
export const ZTrainingMethod = z.enum(TRAINING_METHODS);
export type TTrainingMethod = z.infer<typeof ZTrainingMethod>;

export const ZLoraConfig = z
  .object({
    r: z.number().int().min(1).max(256),
    alpha: z.number().positive().max(1024),
    dropout: z.number().min(0).max(0.9),
    /** Module names (last path segment, e.g. "q_proj") or "all-linear". */
    targetModules: z.union([z.literal("all-linear"), z.array(z.string().min(1)).min(1)]),
  })
  .strict();

export const ZOptimizerConfig = z
  .object({
    learningRate: z.number().positive().max(1),
    weightDecay: z.number().min(0).max(1),
    beta1: z.number().min(0).lt(1),
    beta2: z.number().min(0).lt(1),
    epsilon: z.number().positive().max(1e-3),
    warmupRatio: z.number().min(0).max(0.5),
    maxGradNorm: z.number().positive().max(1e3),
  })
  .strict();

export const ZLossConfig = z
  .object({
    beta: z.number().positive().max(100),
    gamma: z.number().min(0).max(100),
    /** LPO's regularizer weight (paper form); the reference form adds the regularizer with weight 1. */
    alpha: z.number().min(0).max(10),
    /** "paper": hard masks, mean over masked tokens, alpha-weighted regularizer. "reference": soft masks (maskWeight). */
    lpoForm: z.enum(["paper", "reference"]),
    /** Reference form only: masked tokens weigh v, the others 1 - v (0.999999 in the published run). */
    maskWeight: z.number().gt(0.5).lt(1),
    /** SFT: NLL on the response only (default) or on the whole formatted text (reference code). */
    sftLossOn: z.enum(["response", "full"]),
    /** How a pair whose m+ or m- is empty enters LPO/SafeCoder: the whole response stands in for the empty mask, or the pair is skipped. */
    emptyMask: z.enum(["whole-response", "skip"]),
    /** SafeCoder: oversample each (CWE, language) group below k samples up to k. */
    oversampleK: z.number().int().min(0).max(1000),
  })
  .strict();

export const ZTrainConfig = z
  .object({
    method: ZTrainingMethod,
    preset: z.string().min(1),
    /** Keep the reasoning R in the training sequence (the "without reasoning" ablation sets this false). */
    includeReasoning: z.boolean(),
    loss: ZLossConfig,
    lora: ZLoraConfig,
    optimizer: ZOptimizerConfig,
    effectiveBatchSize: z.number().int().min(1).max(1024),
    microBatchSize: z.number().int().min(1).max(256),
    maxLength: z.number().int().min(16).max(8192),
    maxPromptLength: z.number().int().min(8).max(4096),
    epochs: z.number().positive().max(100),
    /** Stop after this many optimizer steps (0 = run the epochs out). */
    maxSteps: z.number().int().min(0).max(1_000_000),
    logEvery: z.number().int().min(1).max(10_000),
    evalEvery: z.number().int().min(0).max(100_000),
    checkpointEvery: z.number().int().min(0).max(100_000),
    seed: z.number().int().min(0).max(2 ** 31 - 1),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.maxPromptLength >= config.maxLength) {
      ctx.addIssue({ code: "custom", path: ["maxPromptLength"], message: "maxPromptLength must be smaller than maxLength" });
    }
    if (config.effectiveBatchSize % config.microBatchSize !== 0) {
      ctx.addIssue({ code: "custom", path: ["microBatchSize"], message: "effectiveBatchSize must be a multiple of microBatchSize" });
    }
  });
export type TTrainConfig = z.infer<typeof ZTrainConfig>;

const BASE: Omit<TTrainConfig, "method" | "preset"> = {
  includeReasoning: true,
  loss: { beta: 2, gamma: 0.5, alpha: 0.05, lpoForm: "paper", maskWeight: 0.999999, sftLossOn: "response", emptyMask: "whole-response", oversampleK: 20 },
  lora: { r: 16, alpha: 32, dropout: 0.1, targetModules: "all-linear" },
  optimizer: { learningRate: 1e-5, weightDecay: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, warmupRatio: 0.05, maxGradNorm: 1 },
  effectiveBatchSize: 32,
  microBatchSize: 4,
  maxLength: 512,
  maxPromptLength: 128,
  epochs: 1,
  maxSteps: 0,
  logEvery: 1,
  evalEvery: 50,
  checkpointEvery: 50,
  seed: 42,
};

type TPresetOverrides = { method: TTrainingMethod; includeReasoning?: boolean; loss?: Partial<TTrainConfig["loss"]>; optimizer?: Partial<TTrainConfig["optimizer"]> };

export type TPreset = { id: string; label: string; description: string; requiresParentRun: boolean; config: TTrainConfig };

function preset(id: string, label: string, description: string, overrides: TPresetOverrides, requiresParentRun = false): TPreset {
  const config: TTrainConfig = {
    ...BASE,
    method: overrides.method,
    preset: id,
    includeReasoning: overrides.includeReasoning ?? BASE.includeReasoning,
    loss: { ...BASE.loss, ...overrides.loss },
    optimizer: { ...BASE.optimizer, ...overrides.optimizer },
  };
  return { id, label, description, requiresParentRun, config: ZTrainConfig.parse(config) };
}

/** The paper's methods and ablations (Tables 1 and 3), as launchable presets. */
export const PRESETS: readonly TPreset[] = [
  preset("sft", "SFT", "Supervised fine-tuning on R + y+ given x (paper 5.1); the first stage of the SFT -> LPO pipeline.", {
    method: "sft",
    optimizer: { learningRate: 1e-4 },
  }),
  preset("dpo", "DPO", "Direct preference optimisation against a frozen reference model, beta 2.", { method: "dpo", loss: { beta: 2 } }),
  preset("simpo", "SimPO", "Reference-free, length-normalised preference loss, beta 2, gamma 0.5.", { method: "simpo", loss: { beta: 2, gamma: 0.5 } }),
  preset(
    "lpo",
    "LPO (paper)",
    "Localised preference optimisation on the security tokens with the regularizer: beta 10, gamma 5.4, alpha 0.05, lr 1e-5.",
    { method: "lpo", loss: { beta: 10, gamma: 5.4, alpha: 0.05, lpoForm: "paper" } },
    true,
  ),
  preset(
    "lpo-reference",
    "LPO (reference code)",
    "LPO as the published code computes it: soft masks (v = 0.999999), weighted means, regularizer weight 1.",
    { method: "lpo", loss: { beta: 10, gamma: 5.4, alpha: 1, lpoForm: "reference" } },
    true,
  ),
  preset("safecoder", "SafeCoder", "Baseline: masked NLL on y+, masked unlikelihood on y-, CWE groups oversampled to k = 20.", {
    method: "safecoder",
    optimizer: { learningRate: 1e-4 },
  }),
  preset("lpo-no-localization", "LPO without localization", "Ablation: no masks, i.e. SimPO on the whole responses (Table 3).", {
    method: "simpo",
    loss: { beta: 10, gamma: 5.4 },
  }, true),
  preset(
    "lpo-no-regularization",
    "LPO without regularization",
    "Ablation: alpha 0 (the paper used beta 2, gamma 0.5 there).",
    { method: "lpo", loss: { beta: 2, gamma: 0.5, alpha: 0 } },
    true,
  ),
  preset("lpo-no-reasoning", "LPO without reasoning", "Ablation: the reasoning R is removed from the training sequences.", {
    method: "lpo",
    includeReasoning: false,
    loss: { beta: 10, gamma: 5.4, alpha: 0.05 },
  }, true),
  preset("lpo-no-sft", "LPO without the SFT stage", "Ablation: LPO straight from the base model, no SFT adapter merged first.", {
    method: "lpo",
    loss: { beta: 10, gamma: 5.4, alpha: 0.05 },
  }),
];

export function getPreset(id: string): TPreset {
  const found = PRESETS.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`Unknown preset "${id}": expected one of ${PRESETS.map((p) => p.id).join(", ")}`);
  return found;
}

/** One line per setting for the launch form: why the default is what it is. */
export const SETTING_REASONS: Record<string, string> = {
  "lora.r": "Paper: LoRA rank 16.",
  "lora.alpha": "Paper: LoRA alpha 32 (scale alpha/r = 2).",
  "lora.dropout": "Reference code: dropout 0.1 on the adapter input.",
  "lora.targetModules": "Reference code: every linear layer.",
  "optimizer.learningRate": "Paper: 1e-5 for preference tuning, 1e-4 for SFT.",
  "optimizer.weightDecay": "AdamW decay; the reference runs used none.",
  "optimizer.warmupRatio": "Paper: cosine schedule with 5% warmup.",
  "optimizer.maxGradNorm": "Gradient clipping at norm 1, as TRL does by default.",
  effectiveBatchSize: "Paper: batch 32, reached with micro-batches and gradient accumulation.",
  microBatchSize: "Pairs per forward pass; lower it when memory runs out (the wasm heap is capped at 4 GB).",
  maxLength: "Reference run: max length 512 tokens.",
  maxPromptLength: "Reference run: prompt truncated to 128 tokens.",
  epochs: "Paper: one epoch of preference tuning.",
  maxSteps: "0 runs the epochs out; a positive number stops early (smoke tests, demos).",
  "loss.beta": "Reward scale: 10 for LPO, 2 for DPO/SimPO in the paper.",
  "loss.gamma": "Target reward margin: 5.4 for LPO, 0.5 for SimPO.",
  "loss.alpha": "Weight of LPO's regularizer on the unmasked tokens of y+: 0.05.",
  "loss.lpoForm": "Paper form by default; the reference code's soft-mask form reproduces the published run.",
  "loss.maskWeight": "Reference form only: weight of masked tokens (0.999999 in the published run).",
  "loss.sftLossOn": "Response only by default; the reference code trains on the whole text.",
  "loss.emptyMask": "A pair with no changed tokens on one side falls back to its whole response (or is skipped).",
  "loss.oversampleK": "SafeCoder: (CWE, language) groups below k are oversampled (20 for code models).",
  includeReasoning: "Train on R + y (the 'without reasoning' ablation turns it off).",
  logEvery: "Metrics every N optimizer steps.",
  evalEvery: "Validation loss on the version's val split every M steps (0 = never).",
  checkpointEvery: "Checkpoint every K steps and at the end (0 = only at the end).",
  seed: "Seeds data order, dropout and LoRA initialisation: runs repeat exactly on one backend.",
};
