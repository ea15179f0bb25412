// GET /api/pairs/:id?tokenizer=... - a pair as the review page shows it: code, findings, masks, history, comments (annotator+)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { getPairForReview } from "@/lib/pairs/get-pair-for-review";
import { DEFAULT_TOKENIZER_ID, isServableTokenizerId } from "@/lib/tokenizers/registry";
import { pairIdFrom } from "../http-errors";

const ZQuery = z.object({ tokenizer: z.string().trim().default(DEFAULT_TOKENIZER_ID).refine(isServableTokenizerId, { message: "unknown tokenizer: use one of the built-in ids" }) });

export const GET = route({ access: "pairs:read", query: ZQuery }, async ({ db, params, query, user }) =>
  getPairForReview(db, pairIdFrom(params), query.tokenizer, { id: user.id, role: user.role }),
);
