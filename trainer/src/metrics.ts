// The metrics a run reports: one schema shared by the trainer (which emits them), the database writer and the
// experiment pages (which chart them). Names follow TRL so curves compare with the field's tools.
import { z } from "zod";

export const TRL_METRICS = [
  "loss",
  "grad_norm",
  "learning_rate",
  "epoch",
  "rewards/chosen",
  "rewards/rejected",
  "rewards/margins",
  "rewards/accuracies",
  "logps/chosen",
  "logps/rejected",
  "nll_loss",
] as const;

/** LPO's own, throughput, memory and validation. */
export const EXTRA_METRICS = [
  "mask_fraction/chosen",
  "mask_fraction/rejected",
  "regularizer",
  /** Pairs left out of the preference term by the "skip" empty-mask rule. */
  "skipped_pairs",
  "tokens_per_second",
  "memory/bytes",
  "memory/tensors",
  "eval/loss",
] as const;

export const METRIC_NAMES = [...TRL_METRICS, ...EXTRA_METRICS] as const;
export type TMetricName = (typeof METRIC_NAMES)[number];

export const ZMetricPoint = z
  .object({
    name: z.enum(METRIC_NAMES),
    step: z.number().int().min(0),
    value: z.number().refine(Number.isFinite, "metric values must be finite"),
  })
  .strict();
export type TMetricPoint = z.infer<typeof ZMetricPoint>;
