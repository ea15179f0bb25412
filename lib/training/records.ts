// A frozen dataset version as the trainer reads it: each item's pinned pair revision (never the pair's current
// text, which may have been edited since the freeze), with the item's split.
import type { Db } from "../db/client";

export type TVersionRecord = {
  id: string;
  instruction: string;
  reasoning: string;
  secureCode: string;
  insecureCode: string;
  cweId: string | null;
  language: string;
  split: "train" | "val" | "test";
};

export async function loadVersionRecords(db: Db, versionId: string): Promise<TVersionRecord[]> {
  const rows = await db.$queryRaw<
    { pairId: string; split: "TRAIN" | "VAL" | "TEST"; instruction: string; reasoning: string; secureCode: string; insecureCode: string; cweId: string | null; language: string }[]
  >`
    SELECT i."pairId", i."split", r."instruction", r."reasoning", r."secureCode", r."insecureCode", r."cweId", p."language"
    FROM dataset_version_items i
    JOIN pair_revisions r ON r."pairId" = i."pairId" AND r."revision" = i."pairRevision"
    JOIN pairs p ON p."id" = i."pairId"
    WHERE i."versionId" = ${versionId}::uuid
    ORDER BY i."pairId"`;
  return rows.map((row) => ({
    id: row.pairId,
    instruction: row.instruction,
    reasoning: row.reasoning,
    secureCode: row.secureCode,
    insecureCode: row.insecureCode,
    cweId: row.cweId,
    language: row.language,
    split: row.split.toLowerCase() as TVersionRecord["split"],
  }));
}
