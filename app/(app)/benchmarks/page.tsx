import Link from "next/link";
import { BenchmarkImportForm } from "@/components/evaluations/BenchmarkImportForm";
import { requireUser } from "@/lib/auth/current-user";
import { hasPermission } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { listBenchmarks } from "@/lib/eval/queries";

export const dynamic = "force-dynamic";

export default async function BenchmarksPage() {
  const user = await requireUser("runs:read");
  const benchmarks = await listBenchmarks(getDb());
  return (
    <>
      <div className="run-header">
        <h1>Benchmarks</h1>
        <span className="evaluation-links">
          <Link href="/evaluations">Evaluations</Link> · <Link href="/leaderboards">Leaderboards</Link>
        </span>
      </div>
      {benchmarks.length === 0 ? (
        <p className="muted">No benchmarks yet.</p>
      ) : (
        <table className="data" data-testid="benchmarks-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>Format</th>
              <th>Items</th>
              <th>Evaluations</th>
              <th>Source</th>
              <th>sha256</th>
            </tr>
          </thead>
          <tbody>
            {benchmarks.map((b) => (
              <tr key={b.id}>
                <td>{b.name}</td>
                <td>{b.kind.toLowerCase()}</td>
                <td>{b.format}</td>
                <td>{b.items}</td>
                <td>{b.evaluations}</td>
                <td>{b.sourceFile ?? (b.format === "demo" ? "built in" : "-")}</td>
                <td>
                  <code title={b.sourceHash}>{b.sourceHash.slice(0, 12)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hasPermission(user.role, "evals:launch") && <BenchmarkImportForm />}
    </>
  );
}
