// The "analyze.pairs" job: (re)analyzes a dataset or a selection in batches. Each pair's results are committed as
// soon as they are computed, and the next batch is chosen by "current revision not analyzed since this job was
// created", so a job retried after a crash continues where it stopped without redoing finished batches.
import { z } from "zod";
import type { Db } from "../db/client";
import { PythonSyntaxChecker } from "../python/syntax-checker";
import { DEFAULT_TOKENIZER_ID, loadTokenizer } from "../tokenizers/registry";
import { analyzePairs, type PairAnalysisSummary } from "./analyze-pairs";

export const ZAnalyzePairsPayload = z
  .object({
    datasetId: z.uuid().optional(),
    pairIds: z.array(z.uuid()).max(100_000).optional(),
    tokenizerIds: z.array(z.string().min(1)).min(1).default([DEFAULT_TOKENIZER_ID]),
    batchSize: z.number().int().min(1).max(5_000).default(200),
  })
  .strict();
export type TAnalyzePairsPayload = z.infer<typeof ZAnalyzePairsPayload>;

type Scope = { datasetId?: string; pairIds?: string[] };

/** Pairs in scope whose current revision has not been analyzed since `cutoff`, in a stable order. */
export async function findPairsToAnalyze(db: Db, scope: Scope, cutoff: Date, limit?: number): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `select p.id from pairs p
       join pair_revisions r on r."pairId" = p.id and r.revision = p.revision
      where ($1::uuid is null or p."datasetId" = $1::uuid)
        and ($2::uuid[] is null or p.id = any($2::uuid[]))
        and (r."analyzedAt" is null or r."analyzedAt" < $3)
      order by p.id
      ${limit ? `limit ${Math.floor(limit)}` : ""}`,
    scope.datasetId ?? null,
    scope.pairIds ?? null,
    cutoff,
  );
  return rows.map((row) => row.id);
}

export async function runAnalyzePairsJob(
  db: Db,
  payload: TAnalyzePairsPayload,
  context: { startedAt: Date; reportProgress: (done: number, total?: number | null, message?: string) => Promise<void>; isCancelled: () => Promise<boolean> },
): Promise<PairAnalysisSummary & { cancelled: boolean }> {
  const scope = { datasetId: payload.datasetId, pairIds: payload.pairIds };
  const tokenizers = await Promise.all(payload.tokenizerIds.map((id) => loadTokenizer(id)));
  const syntax = new PythonSyntaxChecker();
  const total: PairAnalysisSummary & { cancelled: boolean } = { pairs: 0, findings: 0, secureFlagged: 0, parseErrors: 0, tools: {}, cancelled: false };
  try {
    const remaining = (await findPairsToAnalyze(db, scope, context.startedAt)).length;
    await context.reportProgress(0, remaining, `${remaining} pairs to analyze`);
    for (;;) {
      if (await context.isCancelled()) {
        total.cancelled = true;
        break;
      }
      const batch = await findPairsToAnalyze(db, scope, context.startedAt, payload.batchSize);
      if (batch.length === 0) break;
      const summary = await analyzePairs(db, batch, { syntax, tokenizers });
      total.pairs += summary.pairs;
      total.findings += summary.findings;
      total.secureFlagged += summary.secureFlagged;
      total.parseErrors += summary.parseErrors;
      total.tools = summary.tools;
      await context.reportProgress(total.pairs, remaining, `${total.secureFlagged} of ${total.pairs} secure codes still flagged`);
      // A batch whose pairs vanished meanwhile (deleted) would otherwise be selected forever.
      if (summary.pairs === 0) break;
    }
  } finally {
    await syntax.close();
  }
  return total;
}
