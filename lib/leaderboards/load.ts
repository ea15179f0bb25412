// Loads finished evaluations into leaderboard entries and selects the rows of each paper-shaped view. Which table a
// run belongs to comes from its method, preset and tags ("ood", "refinement:<rounds>"), so the views need no
// bookkeeping of their own.
import { z } from "zod";
import { PRESETS } from "../../trainer/src/config";
import type { Db } from "../db/client";
import type { TLeaderboardEntry, TLeaderboardMetricId } from "./table";

export const LEADERBOARD_VIEWS = [
  { id: "table1", label: "Table 1: methods", description: "Every base model and method on every benchmark." },
  { id: "table2", label: "Table 2: frontier models", description: "Frontier models through an API against the best LPO runs." },
  { id: "table3", label: "Table 3: ablations", description: "LPO and its ablations (presets lpo-no-*)." },
  { id: "table4", label: "Table 4: out of distribution", description: "Runs tagged ood (trained without the test CWEs) and their base." },
  { id: "table5", label: "Table 5: refinement rounds", description: "Runs tagged refinement:<rounds>, with their dataset's flagged share." },
] as const;
export type TLeaderboardView = (typeof LEADERBOARD_VIEWS)[number]["id"];
export const ZLeaderboardView = z.enum(LEADERBOARD_VIEWS.map((view) => view.id) as [TLeaderboardView, ...TLeaderboardView[]]);

export const ZLeaderboardFilters = z
  .object({
    view: ZLeaderboardView.default("table1"),
    datasetVersionId: z.string().uuid().optional(),
    tag: z.string().min(1).max(100).optional(),
  })
  .strict();
export type TLeaderboardFilters = z.infer<typeof ZLeaderboardFilters>;

/**
 * The part of an evaluation's summary (lib/eval/summary.ts) the leaderboard reads: InS and I@100 as the scorer writes
 * them (percent, issues per 100), pass@k as fractions. Null or missing values leave their cell empty; a summary of
 * another shape is read field by field rather than rejected whole.
 */
const ZSummaryNumbers = z
  .object({
    InS: z.number().nullish().catch(null),
    "I@100": z.number().nullish().catch(null),
    "pass@1": z.number().nullish().catch(null),
    "pass@5": z.number().nullish().catch(null),
  })
  .passthrough();

const METHOD_LABELS: Record<string, string> = { SFT: "SFT", DPO: "DPO", SIMPO: "SimPO", LPO: "LPO", SAFECODER: "SafeCoder" };

export function metricsFromSummary(summary: unknown): Partial<Record<TLeaderboardMetricId, number>> {
  const parsed = ZSummaryNumbers.safeParse(summary ?? {});
  if (!parsed.success) return {};
  const metrics: Partial<Record<TLeaderboardMetricId, number>> = {};
  const { InS, "I@100": issuesPer100, "pass@1": pass1, "pass@5": pass5 } = parsed.data;
  if (typeof InS === "number") metrics.ins = InS;
  if (typeof issuesPer100 === "number") metrics.i100 = issuesPer100;
  if (typeof pass1 === "number") metrics.pass1 = 100 * pass1;
  if (typeof pass5 === "number") metrics.pass5 = 100 * pass5;
  return metrics;
}

type TRunLike = { id: string; method: string; preset: string | null; tags: string[]; datasetVersionId: string | null; baseModel: { name: string } | null; parentRunId: string | null };

/** The base model a run was trained from, following SFT -> LPO lineage up to the run that named one. */
function baseModelName(run: TRunLike, runsById: Map<string, TRunLike>): string {
  let current: TRunLike | undefined = run;
  for (let depth = 0; current && depth < 20; depth += 1) {
    if (current.baseModel) return current.baseModel.name;
    current = current.parentRunId ? runsById.get(current.parentRunId) : undefined;
  }
  return "unknown model";
}

export function methodLabel(run: Pick<TRunLike, "method" | "preset">, view: TLeaderboardView): string {
  // Ablation presets are their own rows in Table 3 (named as the launch form names them); elsewhere a run is shown
  // under its method.
  if (view === "table3" && run.preset) return PRESETS.find((preset) => preset.id === run.preset)?.label ?? run.preset;
  return METHOD_LABELS[run.method] ?? run.method;
}

function isAblationPreset(preset: string | null): boolean {
  return preset !== null && preset.startsWith("lpo-no-");
}

function isRefinementAblation(tags: string[]): boolean {
  return tags.some((tag) => tag.startsWith("refinement:"));
}

function includeInView(view: TLeaderboardView, row: { runPreset: string | null; method: string; tags: string[]; isBase: boolean; isFrontier: boolean }): boolean {
  switch (view) {
    case "table1":
      // Ablations have their own tables (3 and 5); OOD runs are trained on another split and would not compare fairly.
      return !row.isFrontier && !row.tags.includes("ood") && !isAblationPreset(row.runPreset) && !isRefinementAblation(row.tags);
    case "table2":
      return row.isFrontier || row.method === "LPO";
    case "table3":
      return row.isBase || ((row.runPreset ?? "").startsWith("lpo") && !isRefinementAblation(row.tags));
    case "table4":
      return row.isBase || row.tags.includes("ood");
    case "table5":
      return row.isBase || isRefinementAblation(row.tags);
  }
}

/** Table 5's extra column: the share of the training data whose secure code analyzers still flag. */
export const FLAGGED_COLUMN = "Flagged %";

/**
 * Percent of a dataset version's analyzed pairs (at their pinned revisions) whose secure code has at least one finding
 * (cross-tool duplicates counted once); null when none of them was analyzed.
 */
export async function versionFlaggedPercent(db: Db, versionIds: string[]): Promise<Map<string, number | null>> {
  const result = new Map<string, number | null>();
  if (versionIds.length === 0) return result;
  const rows = await db.$queryRaw<{ versionId: string; analyzed: bigint; flagged: bigint }[]>`
    SELECT i."versionId" AS "versionId",
           count(*) FILTER (WHERE r."analyzedAt" IS NOT NULL) AS analyzed,
           count(*) FILTER (WHERE r."analyzedAt" IS NOT NULL AND EXISTS (
             SELECT 1 FROM findings f WHERE f."pairRevisionId" = r.id AND f.side = 'SECURE' AND f."duplicateOfId" IS NULL
           )) AS flagged
    FROM dataset_version_items i
    JOIN pair_revisions r ON r."pairId" = i."pairId" AND r.revision = i."pairRevision"
    WHERE i."versionId" = ANY(${versionIds}::uuid[])
    GROUP BY i."versionId"`;
  for (const id of versionIds) result.set(id, null);
  for (const row of rows) result.set(row.versionId, row.analyzed > 0n ? (100 * Number(row.flagged)) / Number(row.analyzed) : null);
  return result;
}

export async function loadLeaderboardEntries(db: Db, filters: TLeaderboardFilters): Promise<TLeaderboardEntry[]> {
  const evaluations = await db.evaluation.findMany({
    where: { status: "SUCCEEDED" },
    include: {
      benchmark: { select: { name: true, kind: true } },
      model: { select: { name: true } },
      checkpoint: { select: { step: true, path: true } },
      run: { select: { id: true, method: true, preset: true, tags: true, datasetVersionId: true, baseModel: { select: { name: true } }, parentRunId: true } },
    },
    orderBy: { createdAt: "desc" },
  });
  const runs = await db.run.findMany({
    select: { id: true, method: true, preset: true, tags: true, datasetVersionId: true, baseModel: { select: { name: true } }, parentRunId: true },
  });
  const runsById = new Map<string, TRunLike>(runs.map((run) => [run.id, run]));

  const flaggedByVersion =
    filters.view === "table5"
      ? await versionFlaggedPercent(db, [...new Set(evaluations.map((evaluation) => evaluation.run?.datasetVersionId).filter((id): id is string => Boolean(id)))])
      : new Map<string, number | null>();

  const entries: TLeaderboardEntry[] = [];
  for (const evaluation of evaluations) {
    const run = evaluation.run;
    const isFrontier = !run && !evaluation.model && Boolean(evaluation.frontierModel);
    const isBase = !run && Boolean(evaluation.model);
    const tags = [...new Set([...(run?.tags ?? []), ...evaluation.tags])];
    if (filters.datasetVersionId && run && run.datasetVersionId !== filters.datasetVersionId) continue;
    if (filters.tag && !tags.includes(filters.tag) && !isBase) continue;
    if (!includeInView(filters.view, { runPreset: run?.preset ?? null, method: run?.method ?? "", tags, isBase, isFrontier })) continue;
    entries.push({
      evaluationId: evaluation.id,
      createdAt: evaluation.createdAt,
      benchmark: evaluation.benchmark.name,
      benchmarkKind: evaluation.benchmark.kind,
      baseModel: run ? baseModelName(run, runsById) : (evaluation.model?.name ?? evaluation.frontierModel ?? "unknown model"),
      method: run ? methodLabel(run, filters.view) : isFrontier ? "Frontier" : "Base",
      runId: run?.id ?? null,
      tags,
      metrics: metricsFromSummary(evaluation.summary),
      ...(filters.view === "table5" ? { extras: { [FLAGGED_COLUMN]: run?.datasetVersionId ? (flaggedByVersion.get(run.datasetVersionId) ?? null) : null } } : {}),
      provenance: {
        model: run ? baseModelName(run, runsById) : (evaluation.model?.name ?? evaluation.frontierModel),
        checkpoint: evaluation.checkpoint ? `step ${evaluation.checkpoint.step}` : null,
        decoding: evaluation.decoding,
        samplesPerItem: evaluation.samplesPerItem,
        benchmarkHash: evaluation.benchmarkHash,
        analyzerVersions: evaluation.analyzerVersions,
        finishedAt: evaluation.finishedAt?.toISOString() ?? null,
      },
    });
  }
  return entries;
}
