// A reviewer's decision on a pair: one Review row per reviewer and pair (deciding again replaces it), then the pair's
// status follows the decisions on its current revision: IN_REVIEW while fewer than the dataset's reviewsRequired,
// ACCEPTED/REJECTED once that many agree, CONFLICT as soon as they disagree (a lead resolves it). A lead's
// resolution, when there is one for the current revision, wins over the individual reviews.
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { PairConflictError, PairNotFoundError } from "./review-errors";
import { loadConflictingRevision } from "./load-revision";

export const REJECT_REASONS = ["still_insecure", "not_equivalent", "over_engineered", "instruction_leaks", "other"] as const;
export const REJECT_REASON_LABELS: Record<(typeof REJECT_REASONS)[number], string> = {
  still_insecure: "Still insecure",
  not_equivalent: "Not equivalent",
  over_engineered: "Over-engineered",
  instruction_leaks: "Instruction leaks the issue",
  other: "Other",
};

export const ZDecisionInput = z
  .object({
    decision: z.enum(["ACCEPT", "REJECT"]),
    reasonCode: z.enum(REJECT_REASONS).optional(),
    reasonText: z.string().trim().max(2_000).optional(),
    /** The revision the reviewer looked at: deciding on code that changed since would judge the wrong thing. */
    revision: z.number().int().min(1),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.decision === "REJECT" && !input.reasonCode) ctx.addIssue({ code: "custom", path: ["reasonCode"], message: "a rejection needs a reason code" });
    if (input.reasonCode === "other" && !input.reasonText) ctx.addIssue({ code: "custom", path: ["reasonText"], message: 'reason "other" needs a text' });
  });
export type TDecisionInput = z.infer<typeof ZDecisionInput>;

type PairStatus = "UNREVIEWED" | "IN_REVIEW" | "ACCEPTED" | "REJECTED" | "CONFLICT";

/** The status that a set of decisions on one revision implies (pure, so the rule is tested on its own). */
export function statusFromDecisions(decisions: readonly ("ACCEPT" | "REJECT")[], reviewsRequired: number, resolution?: "ACCEPT" | "REJECT"): PairStatus {
  if (resolution) return resolution === "ACCEPT" ? "ACCEPTED" : "REJECTED";
  if (decisions.length === 0) return "UNREVIEWED";
  if (new Set(decisions).size > 1) return "CONFLICT";
  if (decisions.length < reviewsRequired) return "IN_REVIEW";
  return decisions[0] === "ACCEPT" ? "ACCEPTED" : "REJECTED";
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** Recomputes and stores a pair's status from the reviews of its current revision. */
export async function refreshPairStatus(tx: Tx, pairId: string): Promise<PairStatus> {
  const pair = await tx.pair.findUniqueOrThrow({ where: { id: pairId }, select: { revision: true, dataset: { select: { reviewsRequired: true } } } });
  const reviews = await tx.review.findMany({ where: { pairId, revision: pair.revision }, select: { decision: true, isResolution: true } });
  const resolution = reviews.find((review) => review.isResolution)?.decision;
  const status = statusFromDecisions(
    reviews.filter((review) => !review.isResolution).map((review) => review.decision),
    pair.dataset.reviewsRequired,
    resolution,
  );
  await tx.pair.update({ where: { id: pairId }, data: { status } });
  return status;
}

export async function recordDecision(db: Db, input: { pairId: string; userId: string } & TDecisionInput) {
  const { pairId, userId, decision, revision } = ZDecisionInput.and(z.object({ pairId: z.uuid(), userId: z.uuid() })).parse(input);
  const reasonCode = decision === "REJECT" ? (input.reasonCode ?? null) : null;
  const reasonText = input.reasonText || null;
  return db.$transaction(async (tx) => {
    // Row lock: two decisions on the same pair at once must not both read the old set of reviews.
    const locked = await tx.$queryRaw<{ revision: number }[]>`select revision from pairs where id = ${pairId}::uuid for update`;
    if (locked.length === 0) throw new PairNotFoundError(pairId);
    if (locked[0]!.revision !== revision) {
      const current = await loadConflictingRevision(tx, pairId, locked[0]!.revision);
      throw new PairConflictError(`The pair changed since you opened it (you decided on revision ${revision}, it is now at ${locked[0]!.revision}): look at the new version and decide again.`, current!);
    }
    const previous = await tx.review.findUnique({ where: { pairId_reviewerId_isResolution: { pairId, reviewerId: userId, isResolution: false } } });
    const review = await tx.review.upsert({
      where: { pairId_reviewerId_isResolution: { pairId, reviewerId: userId, isResolution: false } },
      create: { pairId, reviewerId: userId, revision, decision, reasonCode, reasonText },
      update: { revision, decision, reasonCode, reasonText, createdAt: new Date() },
    });
    const status = await refreshPairStatus(tx, pairId);
    await recordAudit(tx, {
      actorId: userId,
      action: "pair.review",
      entityType: "pair",
      entityId: pairId,
      detail: { decision, reasonCode, reasonText, revision, status, previous: previous ? { decision: previous.decision, reasonCode: previous.reasonCode, revision: previous.revision } : null },
    });
    return { review: { id: review.id, decision: review.decision, reasonCode: review.reasonCode, reasonText: review.reasonText, revision: review.revision }, status };
  });
}
