// POST /api/pairs/:id/comments - add a comment to a pair (annotator+)
import { route } from "@/lib/api/route";
import { addComment, ZCommentInput } from "@/lib/pairs/add-comment";
import { pairIdFrom } from "../../http-errors";

export const POST = route({ access: "pairs:review", body: ZCommentInput }, async ({ db, params, body, user }) => ({
  comment: await addComment(db, { pairId: pairIdFrom(params), userId: user.id, body: body.body }),
}));
