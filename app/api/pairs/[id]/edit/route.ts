// POST /api/pairs/:id/edit - save an edit as a new revision and re-analyze it; 409 with the other person's revision on conflict (annotator+)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { editPair, ZEditInput } from "@/lib/pairs/edit-pair";
import { getPairForReview } from "@/lib/pairs/get-pair-for-review";
import { DEFAULT_TOKENIZER_ID, isServableTokenizerId } from "@/lib/tokenizers/registry";
import { pairIdFrom, withConflicts } from "../../http-errors";

const ZBody = ZEditInput.extend({ tokenizer: z.string().trim().default(DEFAULT_TOKENIZER_ID).refine(isServableTokenizerId, { message: "unknown tokenizer: use one of the built-in ids" }) });

export const POST = route({ access: "pairs:edit", body: ZBody }, async ({ db, params, body, user }) => {
  const pairId = pairIdFrom(params);
  const { tokenizer, ...edit } = body;
  const saved = await withConflicts(() =>
    editPair(db, { pairId, userId: user.id, ...edit }, { tokenizerIds: [...new Set([DEFAULT_TOKENIZER_ID, tokenizer])] }),
  );
  // The fresh view carries the new revision's findings and masks, so the page needs no second request.
  return { saved, view: await getPairForReview(db, pairId, tokenizer, { id: user.id, role: user.role }) };
});
