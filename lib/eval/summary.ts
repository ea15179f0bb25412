// The summary stored on an evaluation (evaluations.summary): everything a leaderboard cell shows, computed from the
// generations behind it. Security fields are null for utility benchmarks and pass@k null for security ones.
import { z } from "zod";

export const ZEvaluationSummary = z.object({
  generations: z.number().int().min(0),
  items: z.number().int().min(0),
  valid: z.number().int().min(0),
  invalid: z.number().int().min(0),
  insecure: z.number().int().min(0).nullable(),
  issues: z.number().int().min(0).nullable(),
  InS: z.number().nullable(),
  "I@100": z.number().nullable(),
  "pass@1": z.number().nullable(),
  "pass@5": z.number().nullable(),
  passed: z.number().int().min(0).nullable(),
  perCwe: z.record(z.string(), z.number().int().min(0)),
  tools: z.record(z.string(), z.string()),
  scoredAt: z.string(),
});
export type TEvaluationSummary = z.infer<typeof ZEvaluationSummary>;
