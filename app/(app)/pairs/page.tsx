import Link from "next/link";
import { BulkActions } from "@/components/pairs/BulkActions";
import { PairFilters } from "@/components/pairs/PairFilters";
import { requireUser } from "@/lib/auth/current-user";
import { hasPermission } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { listPairFacets, listPairs, listQueryToSearchParams, ZListPairsQuery, type TListPairsFilter } from "@/lib/pairs/list-pairs";

function withParams(filter: TListPairsFilter, change: Partial<TListPairsFilter>): string {
  return `/pairs?${listQueryToSearchParams({ ...filter, ...change }, { withPage: true }).toString()}`;
}

export default async function PairsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser("pairs:read");
  const parsed = ZListPairsQuery.safeParse(await searchParams);
  if (!parsed.success) return <p className="error">Invalid filter: {parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}</p>;
  const filter = parsed.data;
  const db = getDb();
  const [result, facets] = await Promise.all([listPairs(db, filter), listPairFacets(db)]);
  const lastPage = Math.max(1, Math.ceil(result.total / result.pageSize));
  const listParams = listQueryToSearchParams(filter).toString();
  const sortLink = (sort: TListPairsFilter["sort"], label: string) => {
    const active = filter.sort === sort;
    const dir = active && filter.dir === "desc" ? "asc" : "desc";
    return (
      <Link href={withParams(filter, { sort, dir, page: 1 })} data-testid={`sort-${sort}`}>
        {label}
        {active ? (filter.dir === "desc" ? " ↓" : " ↑") : ""}
      </Link>
    );
  };
  return (
    <>
      <h1>Pairs</h1>
      <PairFilters filters={Object.fromEntries(listQueryToSearchParams(filter).entries())} facets={facets} />
      <BulkActions
        filter={Object.fromEntries(listQueryToSearchParams(filter).entries())}
        total={result.totalIsCapped ? `${result.total.toLocaleString()}+` : result.total.toLocaleString()}
        canReanalyze={hasPermission(user.role, "jobs:manage")}
      />
      <p className="muted" data-testid="pairs-summary">
        {result.totalIsCapped ? `More than ${result.total.toLocaleString()}` : result.total.toLocaleString()} pairs. Page {result.page} of {result.totalIsCapped ? `${lastPage}+` : lastPage}.
      </p>
      <table className="data" data-testid="pairs-table">
        <thead>
          <tr>
            <th>Instruction</th>
            <th>{sortLink("cwe", "CWE")}</th>
            <th>Package</th>
            <th>Source</th>
            <th>Dataset</th>
            <th>{sortLink("status", "Status")}</th>
            <th>Secure code</th>
            <th>Rev.</th>
            <th>{sortLink("created", "Created")}</th>
          </tr>
        </thead>
        <tbody>
          {result.rows.map((pair) => (
            <tr key={pair.id}>
              <td>
                <Link href={`/pairs/${pair.id}${listParams ? `?${listParams}` : ""}`} data-testid="pair-link">
                  {pair.instruction}
                </Link>
              </td>
              <td title={pair.cweTitle ?? undefined}>{pair.cweId ? <Link href={withParams(filter, { cwe: pair.cweId, page: 1 })}>{pair.cweId}</Link> : "-"}</td>
              <td>{pair.packageName ?? ""}</td>
              <td>{pair.source}</td>
              <td>{pair.datasetName}</td>
              <td>
                <span className="badge" data-testid="pair-status">{pair.status.toLowerCase().replace("_", " ")}</span>
              </td>
              <td>
                {pair.parseError ? (
                  <span className="badge badge-bad">parse error</span>
                ) : pair.secureFlagged === null ? (
                  <span className="muted">not analyzed</span>
                ) : pair.secureFlagged ? (
                  <span className="badge badge-bad">still flagged</span>
                ) : (
                  <span className="badge badge-ok">clean</span>
                )}
              </td>
              <td>{pair.revision}</td>
              <td>{new Date(pair.createdAt).toLocaleDateString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        {result.page > 1 && <Link href={withParams(filter, { page: result.page - 1 })}>← previous</Link>}{" "}
        {(result.page < lastPage || result.totalIsCapped) && result.rows.length === result.pageSize && <Link href={withParams(filter, { page: result.page + 1 })}>next →</Link>}
      </p>
    </>
  );
}
