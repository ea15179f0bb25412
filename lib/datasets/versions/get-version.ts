// Reading frozen versions: one version with its split and per-CWE counts, and the versions of a dataset.
import type { Db } from "../../db/client";
import { VersionError } from "./errors";

export type TVersionDetail = Awaited<ReturnType<typeof getVersion>>;

export async function getVersion(db: Db, id: string) {
  const version = await db.datasetVersion.findUnique({
    where: { id },
    include: { dataset: { select: { id: true, name: true } }, createdBy: { select: { id: true, name: true, email: true } } },
  });
  if (!version) throw new VersionError(`no dataset version with id ${id}`, 404);
  const splits = await db.datasetVersionItem.groupBy({ by: ["split"], where: { versionId: id }, _count: { _all: true } });
  const splitCounts = { TRAIN: 0, VAL: 0, TEST: 0 };
  for (const row of splits) splitCounts[row.split] = row._count._all;
  // The CWE of the pinned revision, not the pair's current one: a later edit must not change a frozen version's counts.
  const cweRows = await db.$queryRaw<{ cweId: string | null; split: "TRAIN" | "VAL" | "TEST"; count: bigint }[]>`
    SELECT r."cweId", i."split", count(*) AS count
    FROM dataset_version_items i
    JOIN pair_revisions r ON r."pairId" = i."pairId" AND r."revision" = i."pairRevision"
    WHERE i."versionId" = ${id}::uuid
    GROUP BY r."cweId", i."split"`;
  const perCwe = new Map<string, { cweId: string | null; total: number; TRAIN: number; VAL: number; TEST: number }>();
  for (const row of cweRows) {
    const key = row.cweId ?? "";
    const entry = perCwe.get(key) ?? { cweId: row.cweId, total: 0, TRAIN: 0, VAL: 0, TEST: 0 };
    entry[row.split] += Number(row.count);
    entry.total += Number(row.count);
    perCwe.set(key, entry);
  }
  return {
    id: version.id,
    dataset: version.dataset,
    version: version.version,
    name: version.name,
    description: version.description,
    contentHash: version.contentHash,
    splitConfig: version.splitConfig as { train: number; val: number; test: number; seed: number },
    excludedCwes: version.excludedCwes,
    selection: version.selection as Record<string, unknown>,
    pairCount: version.pairCount,
    createdAt: version.createdAt,
    createdBy: version.createdBy,
    splitCounts,
    perCwe: [...perCwe.values()].sort((a, b) => b.total - a.total || String(a.cweId).localeCompare(String(b.cweId))),
  };
}

export async function listVersions(db: Db, datasetId: string) {
  const versions = await db.datasetVersion.findMany({
    where: { datasetId },
    orderBy: { version: "desc" },
    select: {
      id: true,
      version: true,
      name: true,
      description: true,
      contentHash: true,
      splitConfig: true,
      excludedCwes: true,
      selection: true,
      pairCount: true,
      statistics: true,
      createdAt: true,
      createdBy: { select: { name: true, email: true } },
    },
  });
  return versions.map(({ statistics, ...version }) => ({
    ...version,
    splitCounts: ((statistics as { splitCounts?: { TRAIN: number; VAL: number; TEST: number } } | null)?.splitCounts ?? null),
  }));
}
