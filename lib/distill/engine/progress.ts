// What the job page, the API and the CLI show about a distillation: counts, spend (exact: the sum of the stored
// attempts) and projection, ETA, the share of flagged secure code after each refinement round, and the latest pairs.
import type { Db } from "../../db/client";
import { readStoredConfig } from "./config";

export type TRoundStat = { round: number; analyzed: number; flagged: number; share: number | null };

export type TDistillProgress = {
  id: string;
  name: string;
  status: string;
  error: string | null;
  model: string;
  providerName: string | null;
  datasetId: string | null;
  datasetName: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  rounds: number;
  concurrency: number;
  counts: { planned: number; sent: number; parsed: number; failed: number; skipped: number; done: number; pending: number; flagged: number; pairs: number };
  attempts: { total: number; failed: number; refine: number; promptTokens: number; completionTokens: number };
  budgetUsd: number | null;
  spentUsd: number;
  projectedUsd: number | null;
  etaSeconds: number | null;
  flaggedByRound: TRoundStat[];
  latestPairs: { id: string; cweId: string | null; instruction: string; secureFlagged: boolean | null; refinementRound: number; createdAt: string }[];
};

/**
 * Flagged share after each round. A pair's state after round k is its latest distillation revision of round <= k:
 * a pair that was clean after round 0 is still clean after round 1 (it was not refined).
 */
export function flaggedByRound(rows: readonly { pairId: string; round: number; flagged: boolean; analyzed: boolean }[], rounds: number): TRoundStat[] {
  const byPair = new Map<string, { round: number; flagged: boolean }[]>();
  for (const row of rows) {
    if (!row.analyzed) continue;
    const list = byPair.get(row.pairId) ?? [];
    list.push({ round: row.round, flagged: row.flagged });
    byPair.set(row.pairId, list);
  }
  const stats: TRoundStat[] = [];
  for (let round = 0; round <= rounds; round++) {
    let analyzed = 0;
    let flagged = 0;
    for (const list of byPair.values()) {
      const state = list.filter((item) => item.round <= round).sort((a, b) => b.round - a.round)[0];
      if (!state) continue;
      analyzed++;
      if (state.flagged) flagged++;
    }
    stats.push({ round, analyzed, flagged, share: analyzed ? flagged / analyzed : null });
  }
  return stats;
}

export async function getDistillProgress(db: Db, jobId: string): Promise<TDistillProgress | null> {
  const job = await db.distillationJob.findUnique({
    where: { id: jobId },
    include: { provider: { select: { name: true } }, dataset: { select: { name: true } } },
  });
  if (!job) return null;
  const config = readStoredConfig(job.config);

  const [statusCounts, sentRows, attemptAgg, failedAttempts, refineAttempts, parsedRows, pairCount, flaggedCount, revisionRows, latest] = await Promise.all([
    db.distillationPrompt.groupBy({ by: ["status"], where: { jobId }, _count: { _all: true } }),
    db.$queryRaw<{ n: bigint }[]>`select count(distinct "promptId") as n from llm_attempts where "jobId" = ${jobId}::uuid and purpose = 'GENERATE'`,
    db.llmAttempt.aggregate({ where: { jobId }, _count: { _all: true }, _sum: { costUsd: true, promptTokens: true, completionTokens: true } }),
    db.llmAttempt.count({ where: { jobId, error: { not: null } } }),
    db.llmAttempt.count({ where: { jobId, purpose: "REFINE" } }),
    db.llmAttempt.count({ where: { jobId, purpose: "GENERATE", pairId: { not: null } } }),
    db.pair.count({ where: { distillationJobId: jobId } }),
    db.pair.count({ where: { distillationJobId: jobId, secureFlagged: true } }),
    db.$queryRaw<{ pairId: string; round: number; flagged: boolean; analyzed: boolean }[]>`
      select r."pairId" as "pairId", r.revision - 1 as round, r."analyzedAt" is not null as analyzed,
             exists (select 1 from findings f where f."pairRevisionId" = r.id and f.side = 'SECURE' and f."duplicateOfId" is null) as flagged
        from pair_revisions r join pairs p on p.id = r."pairId"
       where p."distillationJobId" = ${jobId}::uuid and r.note like 'distill round %'`,
    db.pair.findMany({
      where: { distillationJobId: jobId },
      orderBy: { createdAt: "desc" },
      take: 10,
      select: { id: true, cweId: true, instruction: true, secureFlagged: true, refinementRound: true, createdAt: true },
    }),
  ]);
  const by = Object.fromEntries(statusCounts.map((row) => [row.status, row._count._all])) as Record<string, number>;
  const planned = statusCounts.reduce((sum, row) => sum + row._count._all, 0);
  const done = (by.PARSED ?? 0) + (by.FAILED ?? 0) + (by.SKIPPED ?? 0);
  const spentUsd = Number(attemptAgg._sum.costUsd ?? 0);
  const sent = Number(sentRows[0]?.n ?? 0);
  // Projections use the prompts answered so far (finished ones once there are any: they include their refinements).
  const basis = done > 0 ? done : sent;
  const projectedUsd = basis > 0 ? (spentUsd / basis) * planned : null;
  let etaSeconds: number | null = null;
  if (job.status === "RUNNING" && job.startedAt && basis > 0 && basis < planned) {
    const elapsed = (Date.now() - job.startedAt.getTime()) / 1000;
    etaSeconds = Math.round((elapsed / basis) * (planned - basis));
  }
  return {
    id: job.id,
    name: job.name,
    status: job.status,
    error: job.error,
    model: job.model,
    providerName: job.provider?.name ?? null,
    datasetId: job.datasetId,
    datasetName: job.dataset?.name ?? null,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    rounds: config.rounds,
    concurrency: config.concurrency,
    counts: {
      planned,
      sent,
      parsed: parsedRows + (by.SKIPPED ?? 0), // answers that parsed (duplicates of an existing pair included)
      failed: by.FAILED ?? 0,
      skipped: by.SKIPPED ?? 0,
      done,
      pending: (by.PLANNED ?? 0) + (by.SENT ?? 0),
      flagged: flaggedCount,
      pairs: pairCount,
    },
    attempts: {
      total: attemptAgg._count._all,
      failed: failedAttempts,
      refine: refineAttempts,
      promptTokens: attemptAgg._sum.promptTokens ?? 0,
      completionTokens: attemptAgg._sum.completionTokens ?? 0,
    },
    budgetUsd: job.budgetUsd === null ? null : Number(job.budgetUsd),
    spentUsd,
    projectedUsd,
    etaSeconds,
    flaggedByRound: flaggedByRound(revisionRows, config.rounds),
    latestPairs: latest.map((pair) => ({ ...pair, instruction: pair.instruction.slice(0, 200), createdAt: pair.createdAt.toISOString() })),
  };
}

export async function listDistillJobs(db: Db) {
  const jobs = await db.distillationJob.findMany({
    orderBy: { createdAt: "desc" },
    take: 100,
    select: { id: true, name: true, status: true, model: true, budgetUsd: true, spentUsd: true, createdAt: true, dataset: { select: { id: true, name: true } }, _count: { select: { prompts: true, pairs: true } } },
  });
  return jobs.map((job) => ({
    id: job.id,
    name: job.name,
    status: job.status,
    model: job.model,
    budgetUsd: job.budgetUsd === null ? null : Number(job.budgetUsd),
    spentUsd: Number(job.spentUsd),
    createdAt: job.createdAt.toISOString(),
    datasetId: job.dataset?.id ?? null,
    datasetName: job.dataset?.name ?? null,
    prompts: job._count.prompts,
    pairs: job._count.pairs,
  }));
}
