// The pair list: one filtered, sorted, paginated query in SQL, shared by the /pairs page, the review page's
// next/previous (same filter, same order) and the bench. Filters are plain values from the URL, validated by
// ZListPairsQuery; every value reaches SQL as a bind parameter, never as text.
// Text search is ILIKE over instruction and both codes: at 100k pairs it is the one filter that scans; a pg_trgm
// GIN index on those columns makes it an index search (see README "Pair list").
import { z } from "zod";
import type { Db } from "../db/client";

export const PAIR_STATUSES = ["UNREVIEWED", "IN_REVIEW", "ACCEPTED", "REJECTED", "CONFLICT"] as const;
export const PAIR_SORTS = ["created", "cwe", "status"] as const;

const yesNo = z.enum(["yes", "no"]).optional();
const optionalText = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((value) => (value ? value : undefined));

export const ZListPairsQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  sort: z.enum(PAIR_SORTS).default("created"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  cwe: optionalText,
  package: optionalText,
  source: optionalText,
  dataset: z.uuid().optional(),
  status: z.enum(PAIR_STATUSES).optional(),
  /** "yes": the secure code still has analyzer findings; "no": analyzed and clean. */
  flagged: yesNo,
  /** "yes": either side fails to parse. */
  parseErrors: yesNo,
  q: optionalText,
});
export type TListPairsQuery = z.input<typeof ZListPairsQuery>;
export type TListPairsFilter = z.output<typeof ZListPairsQuery>;

/** The filter part of a query, as URL parameters (what the review page carries to keep next/previous in list order). */
export function listQueryToSearchParams(query: Partial<TListPairsFilter>, options: { withPage?: boolean } = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ["sort", "dir", "cwe", "package", "source", "dataset", "status", "flagged", "parseErrors", "q"] as const) {
    const value = query[key];
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  if (options.withPage && query.page && query.page > 1) params.set("page", String(query.page));
  if (options.withPage && query.pageSize && query.pageSize !== 50) params.set("pageSize", String(query.pageSize));
  return params;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** WHERE clause and bind values for a filter; `$n` numbering starts after `offset` existing parameters. */
export function buildPairFilter(query: TListPairsFilter, offset = 0): { where: string; values: unknown[] } {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const bind = (value: unknown) => {
    values.push(value);
    return `$${offset + values.length}`;
  };
  if (query.cwe) conditions.push(`p."cweId" = ${bind(query.cwe.toUpperCase().startsWith("CWE-") ? query.cwe.toUpperCase() : `CWE-${query.cwe}`)}`);
  if (query.package) conditions.push(`p."packageName" = ${bind(query.package)}`);
  if (query.source) conditions.push(`p.source = ${bind(query.source)}`);
  if (query.dataset) conditions.push(`p."datasetId" = ${bind(query.dataset)}::uuid`);
  if (query.status) conditions.push(`p.status = ${bind(query.status)}::"PairStatus"`);
  if (query.flagged === "yes") conditions.push(`p."secureFlagged" is true`);
  if (query.flagged === "no") conditions.push(`p."secureFlagged" is false`);
  if (query.parseErrors === "yes") conditions.push(`(p."insecureParseError" is not null or p."secureParseError" is not null)`);
  if (query.parseErrors === "no") conditions.push(`(p."insecureParseError" is null and p."secureParseError" is null)`);
  if (query.q) {
    const pattern = bind(`%${escapeLike(query.q)}%`);
    conditions.push(`(p.instruction ilike ${pattern} or p."insecureCode" ilike ${pattern} or p."secureCode" ilike ${pattern})`);
  }
  return { where: conditions.length ? `where ${conditions.join(" and ")}` : "", values };
}

/** ORDER BY with a unique tie-break, so pages never overlap or skip rows. */
export function buildPairOrder(query: Pick<TListPairsFilter, "sort" | "dir">): string {
  const dir = query.dir === "asc" ? "asc" : "desc";
  if (query.sort === "cwe") return `p."cweId" ${dir} nulls last, p."createdAt" desc, p.id asc`;
  if (query.sort === "status") return `p.status ${dir}, p."createdAt" desc, p.id asc`;
  return `p."createdAt" ${dir}, p.id asc`;
}

export type TPairListRow = {
  id: string;
  instruction: string;
  cweId: string | null;
  cweTitle: string | null;
  packageName: string | null;
  source: string;
  status: (typeof PAIR_STATUSES)[number];
  revision: number;
  secureFlagged: boolean | null;
  parseError: boolean;
  createdAt: Date;
  datasetName: string;
};

export async function listPairs(db: Db, input: TListPairsQuery) {
  const query = ZListPairsQuery.parse(input);
  const { where, values } = buildPairFilter(query);
  const limit = `$${values.length + 1}`;
  const skip = `$${values.length + 2}`;
  const [countRows, rows] = await Promise.all([
    db.$queryRawUnsafe<{ total: bigint }[]>(`select count(*) as total from pairs p ${where}`, ...values),
    db.$queryRawUnsafe<TPairListRow[]>(
      `select p.id, left(p.instruction, 300) as instruction, p."cweId", p."cweTitle", p."packageName", p.source, p.status::text as status,
              p.revision, p."secureFlagged", (p."insecureParseError" is not null or p."secureParseError" is not null) as "parseError",
              p."createdAt", d.name as "datasetName"
         from pairs p join datasets d on d.id = p."datasetId"
         ${where}
        order by ${buildPairOrder(query)}
        limit ${limit} offset ${skip}`,
      ...values,
      query.pageSize,
      (query.page - 1) * query.pageSize,
    ),
  ]);
  return { total: Number(countRows[0]?.total ?? 0), page: query.page, pageSize: query.pageSize, query, rows };
}

/** The pairs before and after one pair in a list's order (null at the ends or when the pair is not in that list). */
export async function findPairNeighbors(db: Db, input: TListPairsQuery, pairId: string) {
  const query = ZListPairsQuery.parse(input);
  const { where, values } = buildPairFilter(query);
  const order = buildPairOrder(query);
  const rows = await db.$queryRawUnsafe<{ previous: string | null; next: string | null; position: bigint; total: bigint }[]>(
    `select previous, next, position, total from (
       select p.id, lag(p.id) over w as previous, lead(p.id) over w as next, row_number() over w as position, count(*) over () as total
         from pairs p ${where}
       window w as (order by ${order})
     ) ordered where id = $${values.length + 1}::uuid`,
    ...values,
    pairId,
  );
  const row = rows[0];
  return row ? { previous: row.previous, next: row.next, position: Number(row.position), total: Number(row.total) } : { previous: null, next: null, position: null, total: null };
}

/** Values the filter form offers (distinct CWEs, packages, sources), each read from its own index. */
export async function listPairFacets(db: Db) {
  const [cwes, packages, sources] = await Promise.all([
    db.$queryRawUnsafe<{ value: string }[]>(`select distinct "cweId" as value from pairs where "cweId" is not null order by 1 limit 1000`),
    db.$queryRawUnsafe<{ value: string }[]>(`select distinct "packageName" as value from pairs where "packageName" is not null order by 1 limit 1000`),
    db.$queryRawUnsafe<{ value: string }[]>(`select distinct source as value from pairs order by 1 limit 1000`),
  ]);
  return { cwes: cwes.map((row) => row.value), packages: packages.map((row) => row.value), sources: sources.map((row) => row.value) };
}
