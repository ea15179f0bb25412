// A comment on a pair, audited like every other change a reviewer makes.
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { PairNotFoundError } from "./review-errors";

export const ZCommentInput = z.object({ body: z.string().trim().min(1, "a comment cannot be empty").max(5_000) }).strict();

export async function addComment(db: Db, input: { pairId: string; userId: string; body: string }) {
  const body = ZCommentInput.parse({ body: input.body }).body;
  return db.$transaction(async (tx) => {
    const pair = await tx.pair.findUnique({ where: { id: input.pairId }, select: { id: true } });
    if (!pair) throw new PairNotFoundError(input.pairId);
    const comment = await tx.comment.create({
      data: { pairId: input.pairId, authorId: input.userId, body },
      include: { author: { select: { id: true, name: true, email: true } } },
    });
    await recordAudit(tx, { actorId: input.userId, action: "pair.comment", entityType: "pair", entityId: input.pairId, detail: { commentId: comment.id } });
    return { id: comment.id, body: comment.body, author: comment.author, createdAt: comment.createdAt.toISOString() };
  });
}
