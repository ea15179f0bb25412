// Counts for the dashboard's first screen.
import type { Db } from "../db/client";

export async function getOverview(db: Db) {
  const [pairs, unreviewed, datasets, knowledgeEntries, packages, runs, users] = await Promise.all([
    db.pair.count(),
    db.pair.count({ where: { status: "UNREVIEWED" } }),
    db.dataset.count(),
    db.knowledgeEntry.count(),
    db.package.count(),
    db.run.count(),
    db.user.count(),
  ]);
  const cweCount = (await db.pair.groupBy({ by: ["cweId"], where: { cweId: { not: null } } })).length;
  return { pairs, unreviewed, cweCount, datasets, knowledgeEntries, packages, runs, users };
}
