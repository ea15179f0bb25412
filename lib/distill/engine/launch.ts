// Launching a distillation: resolve the selection (knowledge-base entries, packages, templates, prices), plan the
// prompts, and store the job with every planned prompt (rendered text and idempotency key) in one transaction before
// anything is sent, so a crash can never re-plan a job or lose part of its plan. The preview runs the same planning
// without storing anything: the coverage shown before launch is exactly what will be sent.
import crypto from "node:crypto";
import type { Db } from "../../db/client";
import { normalizeCwe } from "../../analyzers/cwe";
import { idempotencyKeyFor, planPrompts, SamplingError, summarizeCoverage, type TCoverage } from "../sampling";
import { DEFAULT_TEMPLATE_NAMES, ensureDefaultTemplates, generationSlots, latestTemplate, renderTemplate, TemplateError } from "../templates";
import { costOf } from "./budget";
import { ZLaunchInput, type TLaunchConfig, type TLaunchInput, type TPrice, type TStoredConfig } from "./config";
import { defaultPriceFor } from "./prices";
import { startDistillRun } from "./run-job";

/** Bad launch input; `status` 400 so API routes answer it as the caller's mistake. */
export class LaunchError extends Error {
  readonly status = 400;
  constructor(message: string) {
    super(message);
    this.name = "LaunchError";
  }
}

/** Expected answer sizes for the estimate (a 20-50 line pair with reasons; a fixed version with a reason). */
export const EXPECTED_TOKENS = { generationCompletion: 900, refinementPrompt: 700, refinementCompletion: 450 } as const;
/** The paper's share of secure code still flagged after generation (37.4%), used to estimate refinement cost. */
export const PAPER_FLAGGED_SHARE = 0.374;

function parseLaunch(input: unknown): TLaunchConfig {
  const parsed = ZLaunchInput.safeParse(input);
  if (!parsed.success) throw new LaunchError(`invalid distillation config: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

async function resolveSelection(db: Db, config: TLaunchConfig) {
  let cweIds: string[] | undefined;
  try {
    cweIds = config.entries.cweIds?.map((cwe) => normalizeCwe(cwe));
  } catch (error) {
    throw new LaunchError((error as Error).message);
  }
  const entries = await db.knowledgeEntry.findMany({
    where: {
      ...(config.entries.entryIds ? { id: { in: config.entries.entryIds } } : {}),
      ...(cweIds ? { cweId: { in: cweIds } } : {}),
      ...(config.entries.sources ? { source: { in: config.entries.sources } } : {}),
    },
    select: { id: true, cweId: true, title: true, description: true },
  });
  if (entries.length === 0) throw new LaunchError("the selection matches no knowledge-base entries: import a knowledge base or widen the filters");
  const packages = await db.package.findMany({ where: config.packageIds ? { id: { in: config.packageIds } } : {}, select: { id: true, name: true } });
  if (config.packageIds && packages.length !== new Set(config.packageIds).size) throw new LaunchError("some selected packages do not exist");

  await ensureDefaultTemplates(db);
  const pick = async (id: string | undefined, name: string, kind: "GENERATION" | "REFINEMENT" | "REASONING") => {
    const template = id ? await db.promptTemplate.findUnique({ where: { id } }) : await latestTemplate(db, name);
    if (!template) throw new LaunchError(id ? `no template ${id}` : `default template ${name} is missing`);
    if (template.kind !== kind) throw new LaunchError(`template ${template.name} v${template.version} is a ${template.kind.toLowerCase()} template, not ${kind.toLowerCase()}`);
    return template;
  };
  const templates = {
    generation: await pick(config.templates.generationId, DEFAULT_TEMPLATE_NAMES.generation, "GENERATION"),
    refinement: await pick(config.templates.refinementId, DEFAULT_TEMPLATE_NAMES.refinement, "REFINEMENT"),
    reasoning: await pick(config.templates.reasoningId, DEFAULT_TEMPLATE_NAMES.reasoning, "REASONING"),
  };
  const price = config.price ?? defaultPriceFor(config.model);
  if (!price) throw new LaunchError(`no price is known for model "${config.model}": give a price table (input and output USD per million tokens)`);
  const provider = await db.llmProvider.findUnique({ where: { id: config.providerId }, select: { id: true } });
  if (!provider) throw new LaunchError(`no provider ${config.providerId}`);
  return { entries, packages, templates, price };
}

function planAndRender(config: TLaunchConfig, selection: Awaited<ReturnType<typeof resolveSelection>>, jobId: string) {
  let plan;
  try {
    plan = planPrompts({ entries: selection.entries, packages: selection.packages, n: config.n, complexShare: config.complexShare, seed: config.seed });
  } catch (error) {
    if (error instanceof SamplingError) throw new LaunchError(error.message);
    throw error;
  }
  const entryById = new Map(selection.entries.map((entry) => [entry.id, entry]));
  const packageById = new Map(selection.packages.map((pkg) => [pkg.id, pkg]));
  try {
    const prompts = plan.map((planned) => {
      const entry = entryById.get(planned.entryId)!;
      const pkg = planned.packageId ? packageById.get(planned.packageId)! : null;
      return {
        ...planned,
        idempotencyKey: idempotencyKeyFor(jobId, planned),
        text: renderTemplate(selection.templates.generation.body, generationSlots(entry, pkg?.name ?? null)),
      };
    });
    return { plan, prompts };
  } catch (error) {
    if (error instanceof TemplateError) throw new LaunchError(`generation template: ${error.message}`);
    throw error;
  }
}

export type TCostEstimate = { expectedUsd: number; worstCaseUsd: number; expectedPromptTokens: number; price: TPrice; assumptions: string };

export function estimateCost(promptTexts: readonly string[], config: Pick<TLaunchConfig, "maxTokens" | "rounds">, price: TPrice): TCostEstimate {
  const promptTokens = promptTexts.reduce((sum, text) => sum + Math.ceil(text.length / 4) + 8, 0);
  const n = promptTexts.length;
  let expected = costOf(price, promptTokens, n * Math.min(config.maxTokens, EXPECTED_TOKENS.generationCompletion));
  let worst = costOf(price, promptTexts.reduce((sum, text) => sum + Buffer.byteLength(text, "utf8") + 16, 0), n * config.maxTokens);
  let flagged = n * PAPER_FLAGGED_SHARE;
  for (let round = 1; round <= config.rounds; round++) {
    expected += costOf(price, flagged * EXPECTED_TOKENS.refinementPrompt, flagged * Math.min(config.maxTokens, EXPECTED_TOKENS.refinementCompletion));
    // Worst case: every secure code flagged, every refinement prompt as long as the code and feedback can be.
    worst += costOf(price, n * (config.maxTokens + 2_000), n * config.maxTokens);
    flagged *= 0.34; // the paper: 37.4% -> 12.7% after one round
  }
  return {
    expectedUsd: expected,
    worstCaseUsd: worst,
    expectedPromptTokens: promptTokens,
    price,
    assumptions: `~4 characters a token, ${EXPECTED_TOKENS.generationCompletion} completion tokens per answer, ${Math.round(PAPER_FLAGGED_SHARE * 1000) / 10}% of secure code refined (the paper's rate)`,
  };
}

export type TLaunchPreview = { coverage: TCoverage; planned: number; simple: number; complex: number; estimate: TCostEstimate; withinBudget: boolean; samplePrompt: string };

export async function previewDistillation(db: Db, input: unknown): Promise<TLaunchPreview> {
  const config = parseLaunch(input);
  const selection = await resolveSelection(db, config);
  const { plan, prompts } = planAndRender(config, selection, "preview");
  const estimate = estimateCost(prompts.map((prompt) => prompt.text), config, selection.price);
  return {
    coverage: summarizeCoverage(plan, selection.entries),
    planned: plan.length,
    simple: plan.filter((p) => p.kind === "SIMPLE").length,
    complex: plan.filter((p) => p.kind === "COMPLEX").length,
    estimate,
    withinBudget: estimate.expectedUsd <= config.budgetUsd,
    samplePrompt: prompts[0]?.text ?? "",
  };
}

async function resolveDataset(db: Db, target: TLaunchConfig["dataset"], userId: string | null) {
  if ("id" in target) {
    const dataset = await db.dataset.findUnique({ where: { id: target.id }, select: { id: true } });
    if (!dataset) throw new LaunchError(`no dataset ${target.id}`);
    return dataset.id;
  }
  const dataset = await db.dataset.upsert({ where: { name: target.name }, create: { name: target.name, createdById: userId }, update: {}, select: { id: true } });
  return dataset.id;
}

export async function launchDistillation(
  db: Db,
  input: TLaunchInput | unknown,
  options: { userId?: string | null; enqueue?: boolean } = {},
): Promise<{ jobId: string; runJobId: string | null; planned: number; coverage: TCoverage }> {
  const config = parseLaunch(input);
  const selection = await resolveSelection(db, config);
  const jobId = crypto.randomUUID();
  const { plan, prompts } = planAndRender(config, selection, jobId);
  const coverage = summarizeCoverage(plan, selection.entries);
  const datasetId = await resolveDataset(db, config.dataset, options.userId ?? null);
  const stored: TStoredConfig = {
    temperature: config.temperature,
    maxTokens: config.maxTokens,
    n: config.n,
    complexShare: config.complexShare,
    seed: config.seed,
    rounds: config.rounds,
    concurrency: config.concurrency,
    price: selection.price,
    stripComments: config.stripComments,
    useCodeql: config.useCodeql,
    entries: config.entries,
    packageIds: config.packageIds ?? null,
    templateIds: { generation: selection.templates.generation.id, refinement: selection.templates.refinement.id, reasoning: selection.templates.reasoning.id },
    cwesSelected: coverage.cwesSelected,
    cwesCovered: coverage.cwesCovered,
  };
  await db.$transaction(
    async (tx) => {
      await tx.distillationJob.create({
        data: {
          id: jobId,
          name: config.name ?? `${config.model} x ${config.n} (${coverage.cwesCovered} CWEs)`,
          status: "QUEUED",
          providerId: config.providerId,
          model: config.model,
          config: stored,
          budgetUsd: config.budgetUsd,
          datasetId,
          createdById: options.userId ?? null,
        },
      });
      for (let start = 0; start < prompts.length; start += 1000) {
        await tx.distillationPrompt.createMany({
          data: prompts.slice(start, start + 1000).map((prompt) => ({
            jobId,
            idempotencyKey: prompt.idempotencyKey,
            position: prompt.position,
            kind: prompt.kind,
            entryId: prompt.entryId,
            packageId: prompt.packageId,
            text: prompt.text,
          })),
        });
      }
    },
    { timeout: 120_000 },
  );
  const runJobId = options.enqueue === false ? null : await startDistillRun(db, jobId, options.userId ?? null);
  return { jobId, runJobId, planned: prompts.length, coverage };
}
