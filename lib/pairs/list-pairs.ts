// A page of pairs, newest first, optionally filtered by CWE or status. The curation feature extends this with
// sorting, search and the review workflow.
import { z } from "zod";
import type { Db } from "../db/client";

export const ZListPairsQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  cwe: z.string().trim().optional(),
  status: z.enum(["UNREVIEWED", "IN_REVIEW", "ACCEPTED", "REJECTED", "CONFLICT"]).optional(),
});
export type TListPairsQuery = z.input<typeof ZListPairsQuery>;

export async function listPairs(db: Db, input: TListPairsQuery) {
  const query = ZListPairsQuery.parse(input);
  const where = { ...(query.cwe ? { cweId: query.cwe } : {}), ...(query.status ? { status: query.status } : {}) };
  const [total, rows] = await Promise.all([
    db.pair.count({ where }),
    db.pair.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      select: {
        id: true,
        instruction: true,
        cweId: true,
        cweTitle: true,
        packageName: true,
        source: true,
        status: true,
        revision: true,
        secureFlagged: true,
        dataset: { select: { name: true } },
      },
    }),
  ]);
  return { total, page: query.page, pageSize: query.pageSize, rows };
}
