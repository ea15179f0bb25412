// Conflicts: pairs whose independent reviews disagree (status CONFLICT, set by the review recording in lib/pairs),
// and a lead's resolution, stored as a review with isResolution true so the original votes stay intact.
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { ReviewError } from "./errors";

export async function listConflicts(db: Db, options: { datasetId?: string; limit?: number } = {}) {
  const pairs = await db.pair.findMany({
    where: { status: "CONFLICT", ...(options.datasetId ? { datasetId: options.datasetId } : {}) },
    orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
    take: Math.min(options.limit ?? 200, 1000),
    select: {
      id: true,
      instruction: true,
      cweId: true,
      revision: true,
      dataset: { select: { id: true, name: true } },
      reviews: {
        where: { isResolution: false },
        orderBy: { createdAt: "asc" },
        select: { id: true, decision: true, reasonCode: true, reasonText: true, revision: true, createdAt: true, reviewer: { select: { id: true, name: true, email: true } } },
      },
    },
  });
  return pairs;
}

export const ZResolveConflict = z.object({
  decision: z.enum(["ACCEPT", "REJECT"]),
  note: z.string().trim().max(2000).default(""),
});

export async function resolveConflict(db: Db, input: { pairId: string; leadId: string; decision: "ACCEPT" | "REJECT"; note?: string }) {
  const { decision, note } = ZResolveConflict.parse(input);
  return db.$transaction(async (tx) => {
    // Lock the pair row so two leads resolving at once cannot both write.
    const locked = await tx.$queryRaw<{ id: string; status: string; revision: number }[]>`
      SELECT id, status::text AS status, revision FROM pairs WHERE id = ${input.pairId}::uuid FOR UPDATE`;
    const pair = locked[0];
    if (!pair) throw new ReviewError(`no pair with id ${input.pairId}`, 404);
    if (pair.status !== "CONFLICT") throw new ReviewError(`pair ${input.pairId} is ${pair.status.toLowerCase()}, not in conflict; nothing to resolve`, 409);
    // A pair can re-enter conflict after an edit; the lead's earlier resolution is replaced, not duplicated.
    await tx.review.deleteMany({ where: { pairId: pair.id, reviewerId: input.leadId, isResolution: true } });
    const review = await tx.review.create({
      data: { pairId: pair.id, reviewerId: input.leadId, revision: pair.revision, decision, reasonText: note || null, isResolution: true },
      select: { id: true },
    });
    const status = decision === "ACCEPT" ? "ACCEPTED" : "REJECTED";
    await tx.pair.update({ where: { id: pair.id }, data: { status } });
    await recordAudit(tx, { actorId: input.leadId, action: "pair.resolve", entityType: "pair", entityId: pair.id, detail: { decision, note, revision: pair.revision, reviewId: review.id } });
    return { pairId: pair.id, status, reviewId: review.id };
  });
}
