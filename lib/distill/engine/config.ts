// What a researcher chooses when launching a distillation (the form, the API and `disco distill` share this schema),
// and the resolved configuration stored on the job. The stored form names everything the engine needs (template ids,
// prices, the plan's inputs), so a job resumed after a crash never depends on defaults that may have changed since.
import { z } from "zod";

export const KNOWLEDGE_SOURCES = ["CWE", "CODEQL", "BANDIT", "CUSTOM"] as const;

/** The paper's (and the reference code's) temperature. */
export const PAPER_TEMPERATURE = 0.01;

export const ZPrice = z
  .object({
    inputUsdPerMTok: z.number().min(0, "input price must be >= 0").max(10_000),
    outputUsdPerMTok: z.number().min(0, "output price must be >= 0").max(10_000),
  })
  .strict();
export type TPrice = z.infer<typeof ZPrice>;

export const ZEntrySelection = z
  .object({
    /** Explicit entries; when given, the filters below narrow them further. */
    entryIds: z.array(z.uuid({ message: "entry ids must be UUIDs" })).max(100_000).optional(),
    cweIds: z.array(z.string().min(1)).max(10_000).optional(),
    sources: z.array(z.enum(KNOWLEDGE_SOURCES)).max(4).optional(),
  })
  .strict();
export type TEntrySelection = z.infer<typeof ZEntrySelection>;

export const ZDatasetTarget = z.union([
  z.object({ id: z.uuid({ message: "dataset id must be a UUID" }) }).strict(),
  z.object({ name: z.string().trim().min(1, "dataset name must not be empty").max(200) }).strict(),
]);

export const ZLaunchInput = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    providerId: z.uuid({ message: "providerId must be a provider's UUID" }),
    model: z.string().trim().min(1, "model is required").max(200),
    temperature: z.number().min(0).max(2).default(PAPER_TEMPERATURE),
    maxTokens: z.number().int().min(16).max(32_768).default(2048),
    n: z.number().int().min(1, "n must be at least 1").max(100_000, "n must be at most 100000"),
    complexShare: z.number().min(0).max(1).default(0.5),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
    entries: ZEntrySelection.default({}),
    /** Packages for complex prompts; default every package in the knowledge base. */
    packageIds: z.array(z.uuid({ message: "package ids must be UUIDs" })).max(10_000).optional(),
    templates: z
      .object({ generationId: z.uuid().optional(), refinementId: z.uuid().optional(), reasoningId: z.uuid().optional() })
      .strict()
      .default({}),
    rounds: z.number().int().min(0, "rounds must be 0-3").max(3, "rounds must be 0-3").default(1),
    budgetUsd: z.number().positive("budgetUsd must be positive").max(100_000),
    concurrency: z.number().int().min(1).max(64).default(4),
    price: ZPrice.optional(),
    stripComments: z.boolean().default(true),
    useCodeql: z.boolean().default(true),
    dataset: ZDatasetTarget,
  })
  .strict();
export type TLaunchInput = z.input<typeof ZLaunchInput>;
export type TLaunchConfig = z.output<typeof ZLaunchInput>;

/** The job's stored configuration (distillation_jobs.config). */
export const ZStoredConfig = z.object({
  temperature: z.number(),
  maxTokens: z.number().int(),
  n: z.number().int(),
  complexShare: z.number(),
  seed: z.number().int(),
  rounds: z.number().int().min(0).max(3),
  concurrency: z.number().int().min(1),
  price: ZPrice,
  stripComments: z.boolean(),
  useCodeql: z.boolean(),
  entries: ZEntrySelection,
  packageIds: z.array(z.string()).nullable(),
  templateIds: z.object({ generation: z.string(), refinement: z.string(), reasoning: z.string() }),
  cwesSelected: z.number().int(),
  cwesCovered: z.number().int(),
});
export type TStoredConfig = z.infer<typeof ZStoredConfig>;

export function readStoredConfig(config: unknown): TStoredConfig {
  const parsed = ZStoredConfig.safeParse(config);
  if (!parsed.success) throw new Error(`distillation job config is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}
