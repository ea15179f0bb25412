// Read models for the evaluation pages, API and CLI: evaluations with what they evaluated and their headline
// numbers, benchmarks with counts, the choices of the launch form, and where server-side benchmark files may be
// read from (the shared data folder next to the project, never an arbitrary path a browser names).
import path from "node:path";
import { z } from "zod";
import type { Db } from "../db/client";
import type { Prisma } from "../generated/prisma/client";
import { projectRoot } from "../project-root";
import { ZEvaluationSummary } from "./summary";

export const ZListEvaluationsQuery = z
  .object({
    status: z.enum(["QUEUED", "RUNNING", "PAUSED", "SUCCEEDED", "FAILED", "CANCELLED"]).optional(),
    benchmarkId: z.uuid().optional(),
    runId: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();
export type TListEvaluationsQuery = z.input<typeof ZListEvaluationsQuery>;

export type TEvaluationListItem = {
  id: string;
  status: string;
  error: string | null;
  subject: string;
  kind: "run" | "model" | "frontier";
  runId: string | null;
  checkpointStep: number | null;
  benchmark: { id: string; name: string; kind: string };
  samplesPerItem: number;
  decoding: unknown;
  tags: string[];
  generations: number;
  summary: { InS: number | null; "I@100": number | null; "pass@1": number | null; "pass@5": number | null; valid: number; invalid: number } | null;
  createdAt: string;
  finishedAt: string | null;
};

function subjectOf(e: { run: { name: string } | null; model: { name: string } | null; frontierModel: string | null }): { subject: string; kind: TEvaluationListItem["kind"] } {
  if (e.run) return { subject: e.run.name, kind: "run" };
  if (e.model) return { subject: `${e.model.name} (base)`, kind: "model" };
  return { subject: e.frontierModel ?? "unknown", kind: "frontier" };
}

export async function listEvaluations(db: Db, rawQuery: TListEvaluationsQuery = {}): Promise<TEvaluationListItem[]> {
  const query = ZListEvaluationsQuery.parse(rawQuery);
  return queryEvaluations(db, { status: query.status, benchmarkId: query.benchmarkId, runId: query.runId }, query.limit);
}

export async function getEvaluation(db: Db, id: string): Promise<TEvaluationListItem | null> {
  const [row] = await queryEvaluations(db, { id }, 1);
  return row ?? null;
}

async function queryEvaluations(db: Db, where: Prisma.EvaluationWhereInput, take: number): Promise<TEvaluationListItem[]> {
  const rows = await db.evaluation.findMany({
    where,
    include: {
      run: { select: { name: true } },
      model: { select: { name: true } },
      checkpoint: { select: { step: true } },
      benchmark: { select: { id: true, name: true, kind: true } },
      _count: { select: { generations: true } },
    },
    orderBy: { createdAt: "desc" },
    take,
  });
  return rows.map((e) => {
    const summary = ZEvaluationSummary.safeParse(e.summary);
    return {
      id: e.id,
      status: e.status,
      error: e.error,
      ...subjectOf(e),
      runId: e.runId,
      checkpointStep: e.checkpoint?.step ?? null,
      benchmark: e.benchmark,
      samplesPerItem: e.samplesPerItem,
      decoding: e.decoding,
      tags: e.tags,
      generations: e._count.generations,
      summary: summary.success
        ? { InS: summary.data.InS, "I@100": summary.data["I@100"], "pass@1": summary.data["pass@1"], "pass@5": summary.data["pass@5"], valid: summary.data.valid, invalid: summary.data.invalid }
        : null,
      createdAt: e.createdAt.toISOString(),
      finishedAt: e.finishedAt?.toISOString() ?? null,
    };
  });
}

export async function listBenchmarks(db: Db) {
  const rows = await db.benchmark.findMany({ orderBy: { name: "asc" }, include: { _count: { select: { items: true, evaluations: true } } } });
  return rows.map((b) => ({
    id: b.id,
    name: b.name,
    kind: b.kind,
    format: b.format,
    sourceFile: b.sourceFile,
    sourceHash: b.sourceHash,
    items: b._count.items,
    evaluations: b._count.evaluations,
    createdAt: b.createdAt.toISOString(),
  }));
}

/** What the launch form offers: finished runs with their checkpoints, registered models, providers, benchmarks. */
export async function getEvaluationLaunchOptions(db: Db) {
  const [runs, models, providers, benchmarks] = await Promise.all([
    db.run.findMany({
      where: { status: "SUCCEEDED", checkpoints: { some: { isFinal: true } } },
      orderBy: { createdAt: "desc" },
      take: 500,
      select: { id: true, name: true, method: true, preset: true, checkpoints: { orderBy: { step: "desc" }, select: { id: true, step: true, isFinal: true } } },
    }),
    db.registeredModel.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, architecture: true } }),
    db.llmProvider.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
    listBenchmarks(db),
  ]);
  return { runs, models, providers, benchmarks: benchmarks.filter((b) => b.items > 0).map((b) => ({ id: b.id, name: b.name, kind: b.kind, items: b.items })) };
}
export type TEvaluationLaunchOptions = Awaited<ReturnType<typeof getEvaluationLaunchOptions>>;

/** The folder server-side imports may read from: the shared data next to the project (DISCO_SHARED_DATA overrides). */
export function sharedDataDir(): string {
  return path.resolve(process.env.DISCO_SHARED_DATA ?? path.join(projectRoot(), "..", "shared", "data"));
}

/** A path inside the shared data folder, or an error naming why not (absolute paths and ".." escapes are refused). */
export function resolveSharedDataPath(relative: string): string {
  const root = sharedDataDir();
  const cleaned = relative.replace(/^\.\.\/shared\/data\/?/, "").replace(/^shared\/data\/?/, "");
  if (path.isAbsolute(cleaned)) throw new Error("give the path relative to the shared data folder (e.g. bench/securityeval/dataset.jsonl)");
  const resolved = path.resolve(root, cleaned);
  if (resolved !== root && !resolved.startsWith(root + path.sep)) throw new Error(`the path must stay inside the shared data folder (${root})`);
  return resolved;
}

export type TPerCweChart = {
  benchmarks: { id: string; name: string }[];
  benchmarkId: string | null;
  /** One series per evaluated model (latest finished evaluation of each), in the order they are drawn. */
  series: { key: string; label: string; evaluationId: string; total: number }[];
  /** One row per CWE (the most frequent first): the CWE and each series' issue count. */
  rows: ({ cwe: string } & Record<string, number | string>)[];
};

/**
 * The paper's Figure 2: issues per CWE by model on one security benchmark, from the scorer's summary.perCwe of each
 * finished evaluation (the latest one per run, base model or frontier model). `top` keeps the most frequent CWEs.
 */
export async function loadPerCweChart(db: Db, options: { benchmarkId?: string | null; top?: number } = {}): Promise<TPerCweChart> {
  const benchmarks = await db.benchmark.findMany({
    where: { kind: "SECURITY", evaluations: { some: { status: "SUCCEEDED" } } },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
  const benchmarkId = options.benchmarkId && benchmarks.some((b) => b.id === options.benchmarkId) ? options.benchmarkId : (benchmarks[0]?.id ?? null);
  if (!benchmarkId) return { benchmarks, benchmarkId: null, series: [], rows: [] };
  const evaluations = await db.evaluation.findMany({
    where: { benchmarkId, status: "SUCCEEDED" },
    orderBy: { createdAt: "desc" },
    select: { id: true, summary: true, frontierModel: true, run: { select: { id: true, name: true } }, model: { select: { id: true, name: true } } },
  });
  const seen = new Set<string>();
  const series: TPerCweChart["series"] = [];
  const counts = new Map<string, Record<string, number>>();
  for (const e of evaluations) {
    const subjectKey = e.run ? `run:${e.run.id}` : e.model ? `model:${e.model.id}` : `frontier:${e.frontierModel}`;
    if (seen.has(subjectKey)) continue;
    const summary = ZEvaluationSummary.safeParse(e.summary);
    if (!summary.success) continue;
    seen.add(subjectKey);
    const key = `s${series.length}`;
    const label = e.run ? e.run.name : e.model ? `${e.model.name} (base)` : (e.frontierModel ?? "frontier");
    let total = 0;
    for (const [cwe, n] of Object.entries(summary.data.perCwe)) {
      const row = counts.get(cwe) ?? {};
      row[key] = n;
      counts.set(cwe, row);
      total += n;
    }
    series.push({ key, label, evaluationId: e.id, total });
  }
  const sum = (row: Record<string, number>) => Object.values(row).reduce((a, b) => a + b, 0);
  const rows = [...counts.entries()]
    .sort((a, b) => sum(b[1]) - sum(a[1]) || a[0].localeCompare(b[0]))
    .slice(0, options.top ?? 15)
    .map(([cwe, row]) => ({ cwe, ...Object.fromEntries(series.map((s) => [s.key, row[s.key] ?? 0])) }));
  return { benchmarks, benchmarkId, series, rows };
}
