// Payloads of the evaluation jobs (zod only: lib/jobs/definitions.ts is imported by the web app).
import { z } from "zod";

/** eval.generate: generate the evaluation's samples (continuing where a previous attempt stopped), then score them. */
export const ZGenerateEvaluationPayload = z
  .object({
    evaluationId: z.uuid(),
    /** "auto": CodeQL where its CLI is installed (passed on to the scorer). */
    codeql: z.union([z.boolean(), z.literal("auto")]).default("auto"),
  })
  .strict();
export type TGenerateEvaluationPayload = z.input<typeof ZGenerateEvaluationPayload>;

/** eval.demo: once the demo training run has finished, evaluate it and its base model on the built-in demo benchmarks. */
export const ZDemoEvaluationsPayload = z
  .object({
    runId: z.uuid(),
    /** Give up waiting for the run after this long. */
    waitMinutes: z.number().int().min(1).max(24 * 60).default(180),
  })
  .strict();
export type TDemoEvaluationsPayload = z.input<typeof ZDemoEvaluationsPayload>;
