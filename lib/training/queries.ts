// Reading runs for the experiment pages, the API and the CLI: a filtered, sorted list with each run's final
// metrics, one run in full, its metric points (optionally only the newer ones) and its checkpoints.
import { z } from "zod";
import type { Db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { TrainingError } from "./errors";
import { isRunLocked } from "./run-lock";

export const RUN_STATUSES = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"] as const;
export const RUN_METHODS = ["SFT", "DPO", "SIMPO", "LPO", "SAFECODER"] as const;
const SORTS = ["createdAt", "name", "status", "method", "startedAt", "finishedAt"] as const;

export const ZListRunsQuery = z
  .object({
    status: z.enum(RUN_STATUSES).optional(),
    method: z.enum(RUN_METHODS).optional(),
    modelId: z.uuid().optional(),
    datasetVersionId: z.uuid().optional(),
    tag: z.string().trim().min(1).optional(),
    q: z.string().trim().min(1).max(200).optional(),
    sort: z.enum(SORTS).default("createdAt"),
    order: z.enum(["asc", "desc"]).default("desc"),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .strict();
export type TListRunsQuery = z.input<typeof ZListRunsQuery>;

/** Metrics shown as a run's "final" numbers in the table: the last logged value of each. */
export const SUMMARY_METRICS = ["loss", "eval/loss", "rewards/accuracies", "rewards/margins"] as const;

export type TRunSummary = {
  id: string;
  name: string;
  method: string;
  preset: string | null;
  status: string;
  error: string | null;
  backend: string | null;
  tags: string[];
  model: { id: string; name: string } | null;
  datasetVersion: { id: string; name: string; version: number; datasetName: string } | null;
  parentRun: { id: string; name: string } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationSeconds: number | null;
  lastStep: number | null;
  final: Record<string, number>;
};

const runInclude = {
  baseModel: { select: { id: true, name: true } },
  datasetVersion: { select: { id: true, name: true, version: true, dataset: { select: { name: true } } } },
  parentRun: { select: { id: true, name: true } },
} satisfies Prisma.RunInclude;

type RunRow = Prisma.RunGetPayload<{ include: typeof runInclude }>;

function summarize(run: RunRow, finals: Map<string, Record<string, number>>, lastSteps: Map<string, number>): TRunSummary {
  const end = run.finishedAt ?? (run.status === "RUNNING" ? new Date() : null);
  return {
    id: run.id,
    name: run.name,
    method: run.method,
    preset: run.preset,
    status: run.status,
    error: run.error,
    backend: run.backend,
    tags: run.tags,
    model: run.baseModel,
    datasetVersion: run.datasetVersion ? { id: run.datasetVersion.id, name: run.datasetVersion.name, version: run.datasetVersion.version, datasetName: run.datasetVersion.dataset.name } : null,
    parentRun: run.parentRun,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    durationSeconds: run.startedAt && end ? Math.max(0, Math.round((end.getTime() - run.startedAt.getTime()) / 1000)) : null,
    lastStep: lastSteps.get(run.id) ?? null,
    final: finals.get(run.id) ?? {},
  };
}

async function finalMetrics(db: Db, runIds: string[]) {
  const finals = new Map<string, Record<string, number>>();
  const lastSteps = new Map<string, number>();
  if (runIds.length === 0) return { finals, lastSteps };
  const rows = await db.$queryRaw<{ runId: string; name: string; step: number; value: number }[]>`
    SELECT DISTINCT ON ("runId", "name") "runId", "name", "step", "value"
    FROM metric_points
    WHERE "runId" = ANY(${runIds}::uuid[]) AND "name" = ANY(${[...SUMMARY_METRICS]}::text[])
    ORDER BY "runId", "name", "step" DESC`;
  for (const row of rows) finals.set(row.runId, { ...finals.get(row.runId), [row.name]: row.value });
  const steps = await db.$queryRaw<{ runId: string; step: number }[]>`
    SELECT "runId", max("step") AS step FROM metric_points WHERE "runId" = ANY(${runIds}::uuid[]) GROUP BY "runId"`;
  for (const row of steps) lastSteps.set(row.runId, Number(row.step));
  return { finals, lastSteps };
}

export async function listRuns(db: Db, rawQuery: TListRunsQuery = {}): Promise<TRunSummary[]> {
  const query = ZListRunsQuery.parse(rawQuery);
  const where: Prisma.RunWhereInput = {
    ...(query.status ? { status: query.status } : {}),
    ...(query.method ? { method: query.method } : {}),
    ...(query.modelId ? { baseModelId: query.modelId } : {}),
    ...(query.datasetVersionId ? { datasetVersionId: query.datasetVersionId } : {}),
    ...(query.tag ? { tags: { has: query.tag } } : {}),
    ...(query.q ? { name: { contains: query.q, mode: "insensitive" } } : {}),
  };
  const runs = await db.run.findMany({ where, include: runInclude, orderBy: [{ [query.sort]: query.sort === "startedAt" || query.sort === "finishedAt" ? { sort: query.order, nulls: "last" } : query.order }, { id: "asc" }], take: query.limit });
  const { finals, lastSteps } = await finalMetrics(db, runs.map((run) => run.id));
  return runs.map((run) => summarize(run, finals, lastSteps));
}

export type TRunDetail = TRunSummary & {
  config: unknown;
  cancelRequested: boolean;
  /** RUNNING (or QUEUED) with no live worker holding it: its worker died; Resume continues it. */
  orphaned: boolean;
  createdBy: { id: string; name: string } | null;
};

export async function getRun(db: Db, runId: string): Promise<TRunDetail> {
  const run = await db.run.findUnique({ where: { id: runId }, include: { ...runInclude, createdBy: { select: { id: true, name: true } } } });
  if (!run) throw new TrainingError(`no run with id ${runId}`, 404);
  const { finals, lastSteps } = await finalMetrics(db, [run.id]);
  const orphaned = run.status === "RUNNING" && !(await isRunLocked(db, run.id));
  return { ...summarize(run, finals, lastSteps), config: run.config, cancelRequested: run.cancelRequested, orphaned, createdBy: run.createdBy };
}

export type TMetricSeries = Record<string, { step: number; value: number }[]>;

/** A run's points grouped by metric, ordered by step; `sinceStep` keeps only steps after it. */
export async function getRunMetrics(db: Db, runId: string, options: { sinceStep?: number; names?: string[] } = {}): Promise<TMetricSeries> {
  const rows = await db.metricPoint.findMany({
    where: { runId, ...(options.sinceStep !== undefined ? { step: { gt: options.sinceStep } } : {}), ...(options.names?.length ? { name: { in: options.names } } : {}) },
    orderBy: [{ name: "asc" }, { step: "asc" }],
    select: { name: true, step: true, value: true },
  });
  const series: TMetricSeries = {};
  for (const row of rows) (series[row.name] ??= []).push({ step: row.step, value: row.value });
  return series;
}

export async function getRunCheckpoints(db: Db, runId: string) {
  const rows = await db.checkpoint.findMany({ where: { runId }, orderBy: { step: "asc" } });
  return rows.map((row) => ({ id: row.id, step: row.step, path: row.path, isFinal: row.isFinal, sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes), createdAt: row.createdAt.toISOString() }));
}

export async function getRunLogs(db: Db, runId: string, options: { afterId?: bigint; limit?: number } = {}) {
  const rows = await db.runLog.findMany({
    where: { runId, ...(options.afterId !== undefined ? { id: { gt: options.afterId } } : {}) },
    orderBy: { id: options.afterId !== undefined ? "asc" : "desc" },
    take: options.limit ?? 200,
  });
  const ordered = options.afterId !== undefined ? rows : rows.reverse();
  return ordered.map((row) => ({ id: row.id.toString(), level: row.level, message: row.message, createdAt: row.createdAt.toISOString() }));
}

/** What the launch form offers: presets come from the trainer's config; models, versions and finished runs from here. */
export async function getLaunchOptions(db: Db) {
  const [models, versions, parents] = await Promise.all([
    db.registeredModel.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, architecture: true, description: true } }),
    db.datasetVersion.findMany({ orderBy: [{ createdAt: "desc" }], select: { id: true, name: true, version: true, pairCount: true, dataset: { select: { name: true } } } }),
    db.run.findMany({ where: { status: "SUCCEEDED", checkpoints: { some: { isFinal: true } } }, orderBy: { createdAt: "desc" }, select: { id: true, name: true, method: true }, take: 100 }),
  ]);
  return {
    models,
    versions: versions.map((version) => ({ id: version.id, label: `${version.dataset.name} v${version.version} · ${version.name} (${version.pairCount} pairs)` })),
    parentRuns: parents,
  };
}
