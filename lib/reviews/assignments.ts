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

/** Assigns every pair to every user (N reviewers per pair = N users); existing assignments are kept, not duplicated. */
export async function assignPairs(db: Db, input: TAssignPairs & { actorId: string }) {
  const { pairIds, userIds } = ZAssignPairs.parse(input);
  const uniquePairs = [...new Set(pairIds)];
  const uniqueUsers = [...new Set(userIds)];
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
    const created = await tx.reviewAssignment.createMany({
      data: uniquePairs.flatMap((pairId) => uniqueUsers.map((userId) => ({ pairId, userId }))),
      skipDuplicates: true,
    });
    await recordAudit(tx, { actorId: input.actorId, action: "review.assign", entityType: "review_assignment", detail: { pairIds: uniquePairs, userIds: uniqueUsers, created: created.count } });
    return { created: created.count, requested: uniquePairs.length * uniqueUsers.length };
  });
}
