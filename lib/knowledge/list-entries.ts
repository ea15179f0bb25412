// Knowledge-base entries with how many pairs each produced.
import type { Db } from "../db/client";

export async function listKnowledgeEntries(db: Db) {
  const entries = await db.knowledgeEntry.findMany({
    orderBy: [{ cweId: "asc" }, { title: "asc" }],
    include: { _count: { select: { pairs: true } } },
  });
  return entries.map(({ _count, ...entry }) => ({ ...entry, pairCount: _count.pairs }));
}
