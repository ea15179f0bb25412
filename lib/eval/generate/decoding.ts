// Decoding settings of an evaluation (stored in evaluations.decoding) and their defaults per method.md section 6:
// 5 samples per prompt, top_p 0.95, top_k 50, at most 512 new tokens; T 0.4 on security benchmarks.
// Utility: the paper samples twice (T 0.2 for pass@1, T 0.6 for pass@5). One evaluation here is one set of samples,
// so a utility evaluation defaults to n = 5 at T 0.6 and reports both pass@1 and pass@5 from those samples with the
// unbiased estimator; for the paper's pass@1 exactly, launch a second evaluation at T 0.2 and read its pass@1.
// Zod only (no TensorFlow), so the launch form and API routes can import it.
import { z } from "zod";
import { ZPromptStyle } from "../prompts";

export const DEFAULT_SAMPLES = 5;
export const DEFAULT_TOP_P = 0.95;
export const DEFAULT_TOP_K = 50;
export const DEFAULT_MAX_NEW_TOKENS = 512;
export const DEFAULT_SEED = 0;
export const DEFAULT_TEMPERATURE = { SECURITY: 0.4, UTILITY: 0.6 } as const;

/** What a generation job reads back from evaluations.decoding (the scorer reads promptStyle/promptPreamble too). */
export const ZDecodingSettings = z
  .object({
    temperature: z.number().min(0).max(2),
    topP: z.number().gt(0).max(1).nullable(),
    topK: z.number().int().min(0).nullable(),
    maxNewTokens: z.number().int().min(1).max(4096),
    n: z.number().int().min(1).max(100),
    seed: z.number().int(),
    /** Only the first `limit` items (by external id) are generated; null = the whole benchmark. */
    limit: z.number().int().min(1).nullable(),
    promptStyle: ZPromptStyle,
    promptPreamble: z.boolean(),
    /** For frontier models: the provider (llm_providers.id) that serves frontierModel. */
    providerId: z.uuid().nullable(),
    stop: z.array(z.string()),
    /** Filled in by the job: the TensorFlow.js backend, or "api" for frontier models. */
    backend: z.string().nullable().optional(),
  })
  .passthrough();
export type TDecodingSettings = z.infer<typeof ZDecodingSettings>;
