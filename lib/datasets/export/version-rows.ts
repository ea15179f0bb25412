// Reads a frozen dataset version's rows for export: each item's own pair revision (not the pair's current text, which
// may have been edited since the freeze), in a stable order, a page at a time so large versions stream.
import type { Db } from "../../db/client";

export type TSplitName = "train" | "val" | "test";

export type TVersionRow = {
  pairId: string;
  revision: number;
  split: TSplitName;
  instruction: string;
  insecureCode: string;
  secureCode: string;
  reasonInsecure: string;
  reasonSecure: string;
  reasoning: string;
  cweId: string | null;
  packageName: string | null;
  language: string;
  source: string;
};

export class VersionNotFoundError extends Error {
  readonly status = 404;
}

const PAGE_SIZE = 1_000;

export async function getVersionHeader(db: Db, versionId: string) {
  const version = await db.datasetVersion.findUnique({
    where: { id: versionId },
    select: { id: true, name: true, version: true, pairCount: true, contentHash: true, dataset: { select: { name: true } } },
  });
  if (!version) throw new VersionNotFoundError(`no dataset version with id ${versionId}`);
  return version;
}

/** Rows ordered by split (the enum's order: train, val, test) then pair id; keyset-paged, so memory stays flat for any version size. */
export async function* readVersionRows(db: Db, versionId: string, pageSize = PAGE_SIZE): AsyncGenerator<TVersionRow> {
  let after: { split: string; pairId: string } | null = null;
  for (;;) {
    const page: (Omit<TVersionRow, "split" | "revision"> & { split: string; revision: number })[] = await db.$queryRawUnsafe(
      `select i."pairId" as "pairId", i."pairRevision" as revision, lower(i.split::text) as split,
              r.instruction, r."insecureCode", r."secureCode", r."reasonInsecure", r."reasonSecure", r.reasoning, r."cweId",
              p."packageName", p.language, p.source
         from dataset_version_items i
         join pair_revisions r on r."pairId" = i."pairId" and r.revision = i."pairRevision"
         join pairs p on p.id = i."pairId"
        where i."versionId" = $1::uuid
          and ($2::text is null or (i.split, i."pairId") > ($2::text::"Split", $3::uuid))
        order by i.split, i."pairId"
        limit ${Math.max(1, Math.floor(pageSize))}`,
      versionId,
      after?.split.toUpperCase() ?? null,
      after?.pairId ?? null,
    );
    for (const row of page) yield { ...row, split: row.split as TSplitName };
    if (page.length < pageSize) return;
    const last = page[page.length - 1]!;
    after = { split: last.split, pairId: last.pairId };
  }
}
