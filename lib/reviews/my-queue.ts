// An annotator's queue: pairs assigned to them, then unassigned pairs whose dataset still needs reviews, that they have
// not decided yet. Pairs in conflict (waiting for a lead) or already resolved are not in anyone's queue. As for the
// pair's status (lib/pairs/record-decision.ts), only reviews of the current revision count: an edited pair comes back.
import type { Db } from "../db/client";

export type TQueueItem = {
  id: string;
  instruction: string;
  cweId: string | null;
  status: string;
  datasetName: string;
  reviews: number;
  reviewsRequired: number;
  assigned: boolean;
};

export async function getMyQueue(db: Db, userId: string, options: { limit?: number; datasetId?: string } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 500);
  const datasetId = options.datasetId ?? null;
  const rows = await db.$queryRaw<(Omit<TQueueItem, "reviews"> & { reviews: bigint })[]>`
    SELECT p.id, p.instruction, p."cweId", p.status::text AS status, d.name AS "datasetName", d."reviewsRequired",
           (SELECT count(*) FROM reviews r WHERE r."pairId" = p.id AND r.revision = p.revision AND NOT r."isResolution") AS reviews,
           EXISTS (SELECT 1 FROM review_assignments a WHERE a."pairId" = p.id AND a."userId" = ${userId}::uuid) AS assigned
    FROM pairs p JOIN datasets d ON d.id = p."datasetId"
    WHERE (${datasetId}::uuid IS NULL OR p."datasetId" = ${datasetId}::uuid)
      AND p.status <> 'CONFLICT'
      AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r."pairId" = p.id AND r.revision = p.revision AND (r."reviewerId" = ${userId}::uuid OR r."isResolution"))
      AND (
        EXISTS (SELECT 1 FROM review_assignments a WHERE a."pairId" = p.id AND a."userId" = ${userId}::uuid)
        OR (NOT EXISTS (SELECT 1 FROM review_assignments a WHERE a."pairId" = p.id)
            AND (SELECT count(*) FROM reviews r WHERE r."pairId" = p.id AND r.revision = p.revision AND NOT r."isResolution") < d."reviewsRequired")
      )
    ORDER BY assigned DESC, p."createdAt", p.id
    LIMIT ${limit}`;
  const items: TQueueItem[] = rows.map((row) => ({ ...row, reviews: Number(row.reviews) }));
  const decided = await db.review.count({ where: { reviewerId: userId, isResolution: false } });
  const assignedTotal = await db.reviewAssignment.count({ where: { userId } });
  const assignedDecided = await db.reviewAssignment.count({ where: { userId, pair: { reviews: { some: { reviewerId: userId, isResolution: false } } } } });
  return { items, progress: { decided, assignedTotal, assignedDecided } };
}
