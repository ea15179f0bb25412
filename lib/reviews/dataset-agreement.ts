// Agreement and progress of a dataset's reviews, read from the reviews table (written by the pair review page).
// Only independent reviews of the current revision count (isResolution false); a lead's resolution is not a rating.
import type { Db } from "../db/client";
import { cohenKappa, fleissKappa, type TKappaResult } from "./agreement";
import { ReviewError } from "./errors";

const CATEGORIES = ["ACCEPT", "REJECT"] as const;

export type TDatasetAgreement = {
  datasetId: string;
  reviewsRequired: number;
  /** "cohen" when exactly two reviewers rated the multiply-reviewed pairs, "fleiss" for more, null with none. */
  method: "cohen" | "fleiss" | null;
  agreement: TKappaResult | null;
  /** Pairs with at least 2 independent reviews (the items agreement is computed on). */
  ratedPairs: number;
  raters: number;
  progress: {
    pairs: number;
    /** Reviews that count towards completion: min(reviews, reviewsRequired) summed over pairs. */
    decided: number;
    required: number;
    completePairs: number;
  };
  annotators: { userId: string; name: string; email: string; decided: number; assigned: number; assignedOpen: number }[];
};

export async function getDatasetAgreement(db: Db, datasetId: string): Promise<TDatasetAgreement> {
  const dataset = await db.dataset.findUnique({ where: { id: datasetId }, select: { id: true, reviewsRequired: true } });
  if (!dataset) throw new ReviewError(`no dataset with id ${datasetId}`, 404);
  // Only decisions on each pair's current revision: after an edit the earlier verdicts judged other code (the same
  // rule lib/pairs/record-decision.ts uses for the pair's status).
  const reviews = await db.$queryRaw<{ pairId: string; reviewerId: string; decision: (typeof CATEGORIES)[number] }[]>`
    SELECT r."pairId", r."reviewerId", r.decision::text AS decision
    FROM reviews r JOIN pairs p ON p.id = r."pairId" AND p.revision = r.revision
    WHERE p."datasetId" = ${datasetId}::uuid AND NOT r."isResolution"`;
  const pairCount = await db.pair.count({ where: { datasetId } });

  const byPair = new Map<string, { reviewerId: string; decision: (typeof CATEGORIES)[number] }[]>();
  for (const review of reviews) byPair.set(review.pairId, [...(byPair.get(review.pairId) ?? []), review]);
  const rated = [...byPair.values()].filter((list) => list.length >= 2);
  const raters = new Set(rated.flatMap((list) => list.map((review) => review.reviewerId)));

  let method: TDatasetAgreement["method"] = null;
  let agreement: TKappaResult | null = null;
  if (rated.length > 0 && raters.size === 2) {
    // Two raters: Cohen's kappa, with rater order fixed so each tuple is (rater 1, rater 2).
    const [first] = [...raters].sort();
    method = "cohen";
    agreement = cohenKappa(rated.map((list) => {
      const a = list.find((review) => review.reviewerId === first)!;
      const b = list.find((review) => review.reviewerId !== first)!;
      return [a.decision, b.decision] as const;
    }));
  } else if (rated.length > 0) {
    method = "fleiss";
    agreement = fleissKappa(rated.map((list) => CATEGORIES.map((category) => list.filter((review) => review.decision === category).length)));
  }

  let decided = 0;
  let completePairs = 0;
  for (const list of byPair.values()) {
    decided += Math.min(list.length, dataset.reviewsRequired);
    if (list.length >= dataset.reviewsRequired) completePairs++;
  }

  const assignments = await db.reviewAssignment.findMany({ where: { pair: { datasetId } }, select: { userId: true, pairId: true } });
  const userIds = [...new Set([...reviews.map((review) => review.reviewerId), ...assignments.map((assignment) => assignment.userId)])];
  const users = await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true } });
  const decidedBy = new Set(reviews.map((review) => `${review.reviewerId}:${review.pairId}`));
  const annotators = users
    .map((user) => {
      const mine = assignments.filter((assignment) => assignment.userId === user.id);
      return {
        userId: user.id,
        name: user.name,
        email: user.email,
        decided: reviews.filter((review) => review.reviewerId === user.id).length,
        assigned: mine.length,
        assignedOpen: mine.filter((assignment) => !decidedBy.has(`${user.id}:${assignment.pairId}`)).length,
      };
    })
    .sort((a, b) => b.decided - a.decided || a.email.localeCompare(b.email));

  return {
    datasetId,
    reviewsRequired: dataset.reviewsRequired,
    method,
    agreement,
    ratedPairs: rated.length,
    raters: raters.size,
    progress: { pairs: pairCount, decided, required: pairCount * dataset.reviewsRequired, completePairs },
    annotators,
  };
}
