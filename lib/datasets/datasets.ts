// Datasets: the list with pair counts by review status, one dataset with its versions, and its review settings.
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { VersionError } from "./versions/errors";
import { listVersions } from "./versions/get-version";

const EMPTY_COUNTS = () => ({ UNREVIEWED: 0, IN_REVIEW: 0, ACCEPTED: 0, REJECTED: 0, CONFLICT: 0 });

export async function listDatasets(db: Db) {
  const datasets = await db.dataset.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, description: true, reviewsRequired: true, createdAt: true, _count: { select: { versions: true } } },
  });
  const groups = await db.pair.groupBy({ by: ["datasetId", "status"], _count: { _all: true } });
  return datasets.map(({ _count, ...dataset }) => {
    const byStatus = EMPTY_COUNTS();
    for (const group of groups) if (group.datasetId === dataset.id) byStatus[group.status] = group._count._all;
    return { ...dataset, versionCount: _count.versions, pairCount: Object.values(byStatus).reduce((a, b) => a + b, 0), byStatus };
  });
}

export async function getDataset(db: Db, id: string) {
  const dataset = await db.dataset.findUnique({ where: { id }, select: { id: true, name: true, description: true, reviewsRequired: true, createdAt: true } });
  if (!dataset) throw new VersionError(`no dataset with id ${id}`, 404);
  const groups = await db.pair.groupBy({ by: ["status"], where: { datasetId: id }, _count: { _all: true } });
  const sources = await db.pair.groupBy({ by: ["source"], where: { datasetId: id }, _count: { _all: true }, orderBy: { source: "asc" } });
  const byStatus = EMPTY_COUNTS();
  for (const group of groups) byStatus[group.status] = group._count._all;
  return {
    ...dataset,
    pairCount: Object.values(byStatus).reduce((a, b) => a + b, 0),
    byStatus,
    sources: sources.map((row) => ({ source: row.source, pairs: row._count._all })),
    versions: await listVersions(db, id),
  };
}

export async function findDatasetByName(db: Db, name: string) {
  const dataset = await db.dataset.findUnique({ where: { name }, select: { id: true, name: true } });
  if (!dataset) throw new VersionError(`no dataset named "${name}"`, 404);
  return dataset;
}

export const ZUpdateDataset = z.object({
  reviewsRequired: z.number().int().min(1, "reviewsRequired must be at least 1").max(10, "reviewsRequired must be at most 10").optional(),
  description: z.string().max(2000).optional(),
});
export type TUpdateDataset = z.infer<typeof ZUpdateDataset>;

export async function updateDataset(db: Db, id: string, changes: TUpdateDataset, actorId: string) {
  const parsed = ZUpdateDataset.parse(changes);
  return db.$transaction(async (tx) => {
    const before = await tx.dataset.findUnique({ where: { id }, select: { reviewsRequired: true, description: true } });
    if (!before) throw new VersionError(`no dataset with id ${id}`, 404);
    const after = await tx.dataset.update({ where: { id }, data: parsed, select: { id: true, name: true, description: true, reviewsRequired: true } });
    await recordAudit(tx, { actorId, action: "dataset.update", entityType: "dataset", entityId: id, detail: { before, after: parsed } });
    return after;
  });
}
