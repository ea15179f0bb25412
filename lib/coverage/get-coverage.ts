// Coverage of the knowledge base by pairs: how many pairs each CWE has, which knowledge-base CWEs have none, and how
// often the secure side is still flagged by the analyzers, per CWE; for one dataset or all of them.
import type { Db } from "../db/client";

export type TCoverage = {
  datasetId: string | null;
  totalPairs: number;
  pairsWithoutCwe: number;
  perCwe: { cweId: string; title: string | null; pairs: number; analyzed: number; secureFlagged: number; flaggedRate: number | null; inKnowledgeBase: boolean }[];
  uncovered: { cweId: string; title: string }[];
};

function cweOrder(a: string, b: string) {
  return Number(a.replace(/\D/g, "")) - Number(b.replace(/\D/g, "")) || a.localeCompare(b);
}

export async function getCoverage(db: Db, options: { datasetId?: string | null } = {}): Promise<TCoverage> {
  const where = options.datasetId ? { datasetId: options.datasetId } : {};
  const groups = await db.pair.groupBy({ by: ["cweId", "secureFlagged"], where, _count: { _all: true } });
  const entries = await db.knowledgeEntry.findMany({ select: { cweId: true, title: true }, orderBy: { cweId: "asc" } });
  const titles = new Map<string, string>();
  for (const entry of entries) if (!titles.has(entry.cweId)) titles.set(entry.cweId, entry.title);

  const perCwe = new Map<string, { pairs: number; analyzed: number; secureFlagged: number }>();
  let totalPairs = 0;
  let pairsWithoutCwe = 0;
  for (const group of groups) {
    const count = group._count._all;
    totalPairs += count;
    if (!group.cweId) {
      pairsWithoutCwe += count;
      continue;
    }
    const row = perCwe.get(group.cweId) ?? { pairs: 0, analyzed: 0, secureFlagged: 0 };
    row.pairs += count;
    // secureFlagged null = not analyzed yet: excluded from the rate's denominator rather than counted as clean.
    if (group.secureFlagged !== null) row.analyzed += count;
    if (group.secureFlagged) row.secureFlagged += count;
    perCwe.set(group.cweId, row);
  }
  return {
    datasetId: options.datasetId ?? null,
    totalPairs,
    pairsWithoutCwe,
    perCwe: [...perCwe.entries()]
      .map(([cweId, row]) => ({ cweId, title: titles.get(cweId) ?? null, ...row, flaggedRate: row.analyzed ? row.secureFlagged / row.analyzed : null, inKnowledgeBase: titles.has(cweId) }))
      .sort((a, b) => b.pairs - a.pairs || cweOrder(a.cweId, b.cweId)),
    uncovered: [...titles.entries()].filter(([cweId]) => !perCwe.has(cweId)).map(([cweId, title]) => ({ cweId, title })).sort((a, b) => cweOrder(a.cweId, b.cweId)),
  };
}
