// Blind review: a pair's reviews as one user may see them. Until a user has decided a pair, others' decisions are
// hidden from them (they see only how many exist), so nobody anchors on a colleague's verdict. Leads see everything.
// The pair review page (lib/pairs, app/api/pairs) should read reviews through this function.
import { hasPermission, type TRole } from "../auth/roles";
import type { Db } from "../db/client";

export type TVisibleReviews = {
  hidden: boolean;
  count: number;
  reviews: { id: string; reviewerId: string; reviewerName: string; decision: string; reasonCode: string | null; reasonText: string | null; isResolution: boolean; revision: number; createdAt: Date }[];
};

export async function listVisibleReviews(db: Db, pairId: string, viewer: { id: string; role: TRole }): Promise<TVisibleReviews> {
  const rows = await db.review.findMany({ where: { pairId }, orderBy: { createdAt: "asc" }, include: { reviewer: { select: { name: true } } } });
  const reviews = rows.map(({ reviewer, pairId: _pairId, ...review }) => ({ ...review, reviewerName: reviewer.name }));
  const decided = rows.some((review) => review.reviewerId === viewer.id && !review.isResolution);
  if (decided || hasPermission(viewer.role, "reviews:resolve")) return { hidden: false, count: reviews.length, reviews };
  return { hidden: true, count: reviews.length, reviews: reviews.filter((review) => review.reviewerId === viewer.id) };
}
