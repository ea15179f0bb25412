// Editing a pair in place with optimistic concurrency: the editor says which revision they started from; if someone
// saved meanwhile, nothing is written and the caller gets the other person's revision to compare with. Otherwise the
// edit becomes revision n+1 (the full content, so history is never lost), the pair row follows it, the decisions
// on the old revision stop counting (the status is recomputed), and the new code is analyzed at once so the
// editor sees its findings and masks in the same response.
import { z } from "zod";
import { analyzePairs } from "../analysis/analyze-pairs";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { PythonSyntaxChecker } from "../python/syntax-checker";
import { DEFAULT_TOKENIZER_ID, loadTokenizer } from "../tokenizers/registry";
import { pairContentHash } from "./content-hash";
import { loadConflictingRevision } from "./load-revision";
import { refreshPairStatus } from "./record-decision";
import { PairConflictError, PairNotFoundError } from "./review-errors";

const CODE_LIMIT = 100_000;
export const ZPairChanges = z
  .object({
    secureCode: z.string().min(1, "secure code cannot be empty").max(CODE_LIMIT).optional(),
    insecureCode: z.string().min(1, "insecure code cannot be empty").max(CODE_LIMIT).optional(),
    instruction: z.string().trim().min(1, "the instruction cannot be empty").max(10_000).optional(),
    reasonInsecure: z.string().max(10_000).optional(),
    reasonSecure: z.string().max(10_000).optional(),
    reasoning: z.string().max(20_000).optional(),
  })
  .strict()
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), { message: "nothing to change: give at least one field" });
export type TPairChanges = z.infer<typeof ZPairChanges>;

export const ZEditInput = z.object({ expectedRevision: z.number().int().min(1), changes: ZPairChanges, note: z.string().trim().max(500).optional() }).strict();

export type EditOptions = {
  /** Analyze the new revision right away (default true). Tests without Bandit turn it off. */
  analyze?: boolean;
  tokenizerIds?: string[];
};

export async function editPair(db: Db, input: { pairId: string; userId: string } & z.input<typeof ZEditInput>, options: EditOptions = {}) {
  const { expectedRevision, changes, note } = ZEditInput.parse({ expectedRevision: input.expectedRevision, changes: input.changes, note: input.note });
  const { pairId, userId } = input;

  const saved = await db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ revision: number }[]>`select revision from pairs where id = ${pairId}::uuid for update`;
    if (locked.length === 0) throw new PairNotFoundError(pairId);
    const currentRevision = locked[0]!.revision;
    if (currentRevision !== expectedRevision) {
      const current = await loadConflictingRevision(tx, pairId, currentRevision);
      const who = current?.editedBy ? `${current.editedBy.name} (${current.editedBy.email})` : "someone";
      throw new PairConflictError(
        `Conflict: ${who} saved revision ${currentRevision} of this pair while you were editing revision ${expectedRevision}. Your text was not saved; compare it with theirs and save again.`,
        current!,
      );
    }
    const pair = await tx.pair.findUniqueOrThrow({ where: { id: pairId } });
    const next = {
      instruction: changes.instruction ?? pair.instruction,
      insecureCode: changes.insecureCode ?? pair.insecureCode,
      secureCode: changes.secureCode ?? pair.secureCode,
      reasonInsecure: changes.reasonInsecure ?? pair.reasonInsecure,
      reasonSecure: changes.reasonSecure ?? pair.reasonSecure,
      reasoning: changes.reasoning ?? pair.reasoning,
      cweId: pair.cweId,
    };
    const contentHash = pairContentHash(next);
    const changedFields = (Object.keys(changes) as (keyof TPairChanges)[]).filter((key) => changes[key] !== undefined && changes[key] !== pair[key]);
    if (changedFields.length === 0) return { revision: currentRevision, changedFields, unchanged: true as const };
    const clash = await tx.pair.findFirst({ where: { datasetId: pair.datasetId, contentHash, id: { not: pairId } }, select: { id: true } });
    if (clash) throw Object.assign(new Error(`Another pair of this dataset (${clash.id}) already has exactly this content: nothing was saved.`), { status: 409 });

    const revision = currentRevision + 1;
    const { cweId, ...content } = next;
    await tx.pairRevision.create({ data: { pairId, revision, ...content, cweId, contentHash, editedById: userId, note: note ?? null } });
    // The old analysis describes the old code: clear it until the new revision's results are stored.
    await tx.pair.update({ where: { id: pairId }, data: { ...content, revision, contentHash, secureFlagged: null, insecureParseError: null, secureParseError: null } });
    const status = await refreshPairStatus(tx, pairId);
    await recordAudit(tx, { actorId: userId, action: "pair.edit", entityType: "pair", entityId: pairId, detail: { fromRevision: currentRevision, revision, changedFields, contentHash, status } });
    return { revision, changedFields, unchanged: false as const };
  });

  let analysisError: string | null = null;
  if (!saved.unchanged && options.analyze !== false) {
    const syntax = new PythonSyntaxChecker();
    try {
      const tokenizers = await Promise.all([...new Set(options.tokenizerIds ?? [DEFAULT_TOKENIZER_ID])].map((id) => loadTokenizer(id)));
      await analyzePairs(db, [pairId], { syntax, tokenizers });
    } catch (error) {
      // The edit itself is committed; a missing analyzer must not lose it. The next analyze job picks the revision up.
      analysisError = `saved, but the analysis failed: ${(error as Error).message}`;
    } finally {
      await syntax.close();
    }
  }
  return { ...saved, analysisError };
}
