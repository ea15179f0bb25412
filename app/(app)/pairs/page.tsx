import Link from "next/link";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { listPairs, ZListPairsQuery } from "@/lib/pairs/list-pairs";

export default async function PairsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  await requireUser("pairs:read");
  const parsed = ZListPairsQuery.safeParse(await searchParams);
  if (!parsed.success) return <p className="error">Invalid filter: {parsed.error.issues.map((issue) => issue.message).join("; ")}</p>;
  const result = await listPairs(getDb(), parsed.data);
  const lastPage = Math.max(1, Math.ceil(result.total / result.pageSize));
  return (
    <>
      <h1>Pairs</h1>
      <p className="muted">
        {result.total} pairs{parsed.data.cwe ? ` with ${parsed.data.cwe}` : ""}
        {parsed.data.status ? `, status ${parsed.data.status.toLowerCase()}` : ""}. Page {result.page} of {lastPage}.
      </p>
      <table className="data" data-testid="pairs-table">
        <thead>
          <tr>
            <th>Instruction</th>
            <th>CWE</th>
            <th>Package</th>
            <th>Dataset</th>
            <th>Status</th>
            <th>Secure code</th>
            <th>Rev.</th>
          </tr>
        </thead>
        <tbody>
          {result.rows.map((pair) => (
            <tr key={pair.id}>
              <td>{pair.instruction}</td>
              <td title={pair.cweTitle ?? undefined}>{pair.cweId ? <Link href={`/pairs?cwe=${pair.cweId}`}>{pair.cweId}</Link> : "-"}</td>
              <td>{pair.packageName ?? ""}</td>
              <td>{pair.dataset.name}</td>
              <td>
                <span className="badge">{pair.status.toLowerCase()}</span>
              </td>
              <td>
                {pair.secureFlagged === null ? (
                  <span className="muted">not analyzed</span>
                ) : pair.secureFlagged ? (
                  <span className="badge badge-bad">still flagged</span>
                ) : (
                  <span className="badge badge-ok">clean</span>
                )}
              </td>
              <td>{pair.revision}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        {result.page > 1 && <Link href={{ query: { ...parsed.data, page: result.page - 1 } }}>← previous</Link>}{" "}
        {result.page < lastPage && <Link href={{ query: { ...parsed.data, page: result.page + 1 } }}>next →</Link>}
      </p>
    </>
  );
}
