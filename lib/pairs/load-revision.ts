// One stored revision in the shape a conflict reply and the history view show.
import type { Db } from "../db/client";
import type { TConflictingRevision } from "./review-errors";

export async function loadConflictingRevision(db: Pick<Db, "pairRevision">, pairId: string, revision: number): Promise<TConflictingRevision | null> {
  const row = await db.pairRevision.findUnique({
    where: { pairId_revision: { pairId, revision } },
    include: { editedBy: { select: { id: true, name: true, email: true } } },
  });
  if (!row) return null;
  return {
    revision: row.revision,
    editedBy: row.editedBy,
    createdAt: row.createdAt.toISOString(),
    instruction: row.instruction,
    insecureCode: row.insecureCode,
    secureCode: row.secureCode,
    reasonInsecure: row.reasonInsecure,
    reasonSecure: row.reasonSecure,
    reasoning: row.reasoning,
  };
}
