// Review assignments: a researcher or lead hands pairs to annotators; each annotator's queue is built from them.
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { ReviewError } from "./errors";

export const ZAssignPairs = z.object({
  pairIds: z.array(z.uuid()).min(1, "choose at least one pair").max(10_000),
  userIds: z.array(z.uuid()).min(1, "choose at least one annotator").max(100),
});
export type TAssignPairs = z.infer<typeof ZAssignPairs>;

const PAIR_STATUSES = ["UNREVIEWED", "IN_REVIEW", "ACCEPTED", "REJECTED", "CONFLICT"] as const;

/** Assign a dataset's pairs (optionally only some statuses) spread over annotators, perPair annotators per pair. */
export const ZAssignDataset = z.object({
  datasetId: z.uuid(),
  statuses: z.array(z.enum(PAIR_STATUSES)).optional(),
  userIds: z.array(z.uuid()).min(1, "choose at least one annotator").max(100),
  /** Default: the dataset's reviewsRequired. */
  perPair: z.number().int().min(1).max(10).optional(),
});
export type TAssignDataset = z.infer<typeof ZAssignDataset>;

/**
 * Round-robin: pair i (in the given order) goes to users i, i+1, ..., i+perPair-1 (mod the number of users), so every
 * annotator gets an equal share (within one) and no pair gets the same annotator twice. Pure.
 */
export function distributeAssignments(pairIds: readonly string[], userIds: readonly string[], perPair: number): { pairId: string; userId: string }[] {
  if (perPair > userIds.length) throw new ReviewError(`each pair needs ${perPair} different annotators but only ${userIds.length} were chosen`);
  return pairIds.flatMap((pairId, index) => Array.from({ length: perPair }, (_, k) => ({ pairId, userId: userIds[(index + k) % userIds.length]! })));
}

export async function assignDatasetPairs(db: Db, input: TAssignDataset & { actorId: string }) {
  const { datasetId, statuses, userIds, perPair } = ZAssignDataset.parse(input);
  const dataset = await db.dataset.findUnique({ where: { id: datasetId }, select: { reviewsRequired: true } });
  if (!dataset) throw new ReviewError(`no dataset with id ${datasetId}`, 404);
  const pairs = await db.pair.findMany({ where: { datasetId, ...(statuses?.length ? { status: { in: statuses } } : {}) }, select: { id: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  if (pairs.length === 0) throw new ReviewError("no pairs of this dataset match the chosen statuses; nothing to assign");
  const users = [...new Set(userIds)];
  return writeAssignments(db, distributeAssignments(pairs.map((pair) => pair.id), users, perPair ?? dataset.reviewsRequired), input.actorId);
}

/** Assigns every pair to every user (N reviewers per pair = N users); existing assignments are kept, not duplicated. */
export async function assignPairs(db: Db, input: TAssignPairs & { actorId: string }) {
  const { pairIds, userIds } = ZAssignPairs.parse(input);
  const uniquePairs = [...new Set(pairIds)];
  const uniqueUsers = [...new Set(userIds)];
  return writeAssignments(db, uniquePairs.flatMap((pairId) => uniqueUsers.map((userId) => ({ pairId, userId }))), input.actorId);
}

async function writeAssignments(db: Db, rows: { pairId: string; userId: string }[], actorId: string) {
  const uniquePairs = [...new Set(rows.map((row) => row.pairId))];
  const uniqueUsers = [...new Set(rows.map((row) => row.userId))];
  return db.$transaction(async (tx) => {
    const users = await tx.user.findMany({ where: { id: { in: uniqueUsers } }, select: { id: true, email: true, disabledAt: true } });
    const unknownUser = uniqueUsers.find((id) => !users.some((user) => user.id === id));
    if (unknownUser) throw new ReviewError(`no user with id ${unknownUser}`, 404);
    const disabled = users.find((user) => user.disabledAt);
    if (disabled) throw new ReviewError(`user ${disabled.email} is disabled and cannot be assigned reviews`);
    const found = await tx.pair.findMany({ where: { id: { in: uniquePairs } }, select: { id: true } });
    if (found.length !== uniquePairs.length) {
      const known = new Set(found.map((pair) => pair.id));
      throw new ReviewError(`no pair with id ${uniquePairs.find((id) => !known.has(id))}`, 404);
    }
    let created = 0;
    for (let start = 0; start < rows.length; start += 10_000) {
      created += (await tx.reviewAssignment.createMany({ data: rows.slice(start, start + 10_000), skipDuplicates: true })).count;
    }
    await recordAudit(tx, { actorId, action: "review.assign", entityType: "review_assignment", detail: { pairs: uniquePairs.length, userIds: uniqueUsers, created, pairIds: uniquePairs.slice(0, 1000) } });
    return { created, requested: rows.length };
  });
}
