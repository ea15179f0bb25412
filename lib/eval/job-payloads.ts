// Payloads of the evaluation jobs, zod only: lib/jobs/definitions.ts is read by the web app too, which must not pull in
// the sandbox, the analyzers or file parsers just to validate a payload.
import { z } from "zod";

export const BENCHMARK_FORMATS = [
  "securityeval",
  "asleep",
  "llmseceval",
  "disco-test",
  "humaneval",
  "humaneval-x",
  "mbxp",
  "mbpp-sanitized",
  "safecoder",
] as const;
export const ZBenchmarkFormat = z.enum(BENCHMARK_FORMATS);
export type TBenchmarkFormat = z.infer<typeof ZBenchmarkFormat>;

/** import.benchmark: a file (a folder for safecoder) on the worker's machine. */
export const ZImportBenchmarkInput = z
  .object({
    filePath: z.string().min(1),
    format: ZBenchmarkFormat,
    name: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type TImportBenchmarkInput = z.input<typeof ZImportBenchmarkInput>;

/** eval.score: score an evaluation's stored generations. */
export const ZScoreEvaluationPayload = z
  .object({
    evaluationId: z.uuid(),
    /** "auto": CodeQL where its CLI is installed. */
    codeql: z.union([z.boolean(), z.literal("auto")]).default("auto"),
    /** Also run the security analysis on a utility benchmark's generations (and tests on a security one with tests). */
    both: z.boolean().default(false),
  })
  .strict();
export type TScoreEvaluationPayload = z.input<typeof ZScoreEvaluationPayload>;
