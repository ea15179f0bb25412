import { notFound } from "next/navigation";
import { z } from "zod";
import { ReviewPage } from "@/components/review/ReviewPage";
import { requireUser } from "@/lib/auth/current-user";
import { hasPermission } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { getPairForReview } from "@/lib/pairs/get-pair-for-review";
import { findPairNeighbors, listQueryToSearchParams, ZListPairsQuery } from "@/lib/pairs/list-pairs";
import { PairNotFoundError } from "@/lib/pairs/review-errors";
import { DEFAULT_TOKENIZER_ID, listTokenizers } from "@/lib/tokenizers/registry";

export default async function PairReviewPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser("pairs:review");
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const search = await searchParams;
  // The list's filter and order travel in the URL so next/previous walk the same list the user came from.
  const listFilter = ZListPairsQuery.safeParse(search);
  const filter = listFilter.success ? listFilter.data : ZListPairsQuery.parse({});
  const tokenizer = search.tokenizer?.trim() || DEFAULT_TOKENIZER_ID;
  const db = getDb();
  let view;
  try {
    view = await getPairForReview(db, id, tokenizer, { id: user.id, role: user.role });
  } catch (error) {
    if (error instanceof PairNotFoundError) notFound();
    throw error;
  }
  const neighbors = await findPairNeighbors(db, filter, id);
  return (
    <>
      <h1 style={{ fontSize: "1.2rem" }} data-testid="pair-title">
        {view.pair.instruction}
      </h1>
      <ReviewPage
        key={`${view.pair.id}:${view.pair.revision}`}
        initial={view}
        neighbors={neighbors}
        listParams={listQueryToSearchParams(filter).toString()}
        tokenizers={listTokenizers().map((entry) => entry.id)}
        canEdit={hasPermission(user.role, "pairs:edit")}
      />
    </>
  );
}
