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

/**
 * Counting stops here: an exact count of a broad filter (or a text search matching most rows) reads every
 * matching row, which at 100k pairs costs more than the page itself; "10,000+" is as useful to a reviewer.
 */
export const COUNT_CAP = 10_000;
/** Text search evaluates ILIKE on every row it counts (three text columns), so its count stops earlier. */
export const SEARCH_COUNT_CAP = 1_000;
const countCap = (query: TListPairsFilter) => (query.q ? SEARCH_COUNT_CAP : COUNT_CAP);

export async function listPairs(db: Db, input: TListPairsQuery) {
  const query = ZListPairsQuery.parse(input);
  const { where, values } = buildPairFilter(query);
  const limit = `$${values.length + 1}`;
  const skip = `$${values.length + 2}`;
  const [countRows, rows] = await Promise.all([
    db.$queryRawUnsafe<{ total: bigint }[]>(`select count(*) as total from (select 1 from pairs p ${where} limit ${countCap(query) + 1}) capped`, ...values),
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
  const counted = Number(countRows[0]?.total ?? 0);
  return { total: Math.min(counted, countCap(query)), totalIsCapped: counted > countCap(query), page: query.page, pageSize: query.pageSize, query, rows };
}

type SortKey = { expr: string; dir: "asc" | "desc"; nullable?: boolean; cast: string; field: "createdAt" | "cweId" | "status" | "id" };

/** The list order as keys (the same order buildPairOrder writes; nulls sort last, as there). */
function sortKeys(query: Pick<TListPairsFilter, "sort" | "dir">): SortKey[] {
  const dir = query.dir === "asc" ? "asc" : "desc";
  const tail: SortKey[] = [
    { expr: `p."createdAt"`, dir: "desc", cast: "timestamp(3)", field: "createdAt" },
    { expr: "p.id", dir: "asc", cast: "uuid", field: "id" },
  ];
  if (query.sort === "cwe") return [{ expr: `p."cweId"`, dir, nullable: true, cast: "text", field: "cweId" }, ...tail];
  if (query.sort === "status") return [{ expr: "p.status", dir, cast: `"PairStatus"`, field: "status" }, ...tail];
  return [{ expr: `p."createdAt"`, dir, cast: "timestamp(3)", field: "createdAt" }, tail[1]!];
}

/**
 * SQL for "comes after the row with these key values" in the given order (keyset pagination), so next/previous
 * read one row through the indexes instead of numbering the whole filtered list. `reverse` gives "comes before".
 */
function afterCondition(keys: SortKey[], values: Record<SortKey["field"], unknown>, bind: (value: unknown) => string, reverse: boolean): string {
  if (keys.length === 0) return "false";
  const [key, ...rest] = keys;
  const ascending = (key!.dir === "asc") !== reverse;
  const nullsLast = !reverse; // the list puts nulls last; walking backwards meets them first
  const value = values[key!.field];
  const op = ascending ? ">" : "<";
  let strictly: string;
  let equal: string;
  if (key!.nullable && (value === null || value === undefined)) {
    strictly = nullsLast ? "false" : `${key!.expr} is not null`;
    equal = `${key!.expr} is null`;
  } else {
    const placeholder = `${bind(value)}::${key!.cast}`;
    strictly = `(${key!.expr} ${op} ${placeholder}${key!.nullable && nullsLast ? ` or ${key!.expr} is null` : ""})`;
    equal = `${key!.expr} = ${placeholder}`;
  }
  return `(${strictly} or (${equal} and ${afterCondition(rest, values, bind, reverse)}))`;
}

function orderFor(keys: SortKey[], reverse: boolean): string {
  return keys
    .map((key) => {
      const ascending = (key.dir === "asc") !== reverse;
      return `${key.expr} ${ascending ? "asc" : "desc"}${key.nullable ? (reverse ? " nulls first" : " nulls last") : ""}`;
    })
    .join(", ");
}

/** The pairs before and after one pair in a list's order (null at the ends or when the pair is not in that list). */
export async function findPairNeighbors(db: Db, input: TListPairsQuery, pairId: string) {
  const query = ZListPairsQuery.parse(input);
  const none = { previous: null, next: null, position: null, total: null };
  const filter = buildPairFilter(query);
  const current = await db.$queryRawUnsafe<{ createdAt: Date; cweId: string | null; status: string; id: string }[]>(
    `select p."createdAt", p."cweId", p.status::text as status, p.id from pairs p ${filter.where ? `${filter.where} and` : "where"} p.id = $${filter.values.length + 1}::uuid`,
    ...filter.values,
    pairId,
  );
  if (current.length === 0) return none;
  const keys = sortKeys(query);
  const neighbour = async (reverse: boolean) => {
    const { where, values } = buildPairFilter(query);
    const bind = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    const condition = afterCondition(keys, current[0]!, bind, reverse);
    const rows = await db.$queryRawUnsafe<{ id: string }[]>(
      `select p.id from pairs p ${where ? `${where} and` : "where"} ${condition} order by ${orderFor(keys, reverse)} limit 1`,
      ...values,
    );
    return rows[0]?.id ?? null;
  };
  // Position and total are counted up to COUNT_CAP like the list's total, so a broad list stays cheap.
  const positionOf = async () => {
    const { where, values } = buildPairFilter(query);
    const bind = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    const before = afterCondition(keys, current[0]!, bind, true);
    const rows = await db.$queryRawUnsafe<{ before: bigint; total: bigint }[]>(
      `select (select count(*) from (select 1 from pairs p ${where ? `${where} and` : "where"} ${before} limit ${countCap(query) + 1}) b) as before,
              (select count(*) from (select 1 from pairs p ${where} limit ${countCap(query) + 1}) t) as total`,
      ...values,
    );
    return { position: Math.min(Number(rows[0]!.before) + 1, countCap(query) + 1), total: Math.min(Number(rows[0]!.total), countCap(query)) };
  };
  const [previous, next, counts] = await Promise.all([neighbour(true), neighbour(false), positionOf()]);
  return { previous, next, ...counts };
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
