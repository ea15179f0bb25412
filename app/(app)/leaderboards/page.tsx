import Link from "next/link";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { getLeaderboard } from "@/lib/leaderboards/get-leaderboard";
import { LEADERBOARD_VIEWS, ZLeaderboardFilters } from "@/lib/leaderboards/load";
import { formatMetric } from "@/lib/leaderboards/table";
import { PerCweChart } from "@/components/leaderboards/PerCweChart";
import { loadPerCweChart } from "@/lib/eval/queries";

function describeProvenance(provenance: Record<string, unknown> | null): string {
  if (!provenance) return "";
  return Object.entries(provenance)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => `${key}: ${typeof value === "object" ? JSON.stringify(value) : String(value)}`)
    .join("\n");
}

function formatDelta(delta: number | null): string {
  if (delta === null) return "";
  return `${delta > 0 ? "+" : ""}${delta.toFixed(1)}`;
}

export default async function LeaderboardsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  await requireUser("runs:read");
  const raw = await searchParams;
  const parsed = ZLeaderboardFilters.safeParse(Object.fromEntries(Object.entries(raw).filter(([key, value]) => key !== "format" && key !== "cweBenchmark" && value !== "")));
  if (!parsed.success) {
    return (
      <>
        <h1>Leaderboards</h1>
        <p role="alert" className="error">
          Invalid filters: {parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}
        </p>
      </>
    );
  }
  const filters = parsed.data;
  const db = getDb();
  const [{ table, view }, versions, perCwe] = await Promise.all([
    getLeaderboard(db, filters),
    db.datasetVersion.findMany({ select: { id: true, name: true, version: true, dataset: { select: { name: true } } }, orderBy: { createdAt: "desc" }, take: 200 }),
    loadPerCweChart(db, { benchmarkId: raw.cweBenchmark || null }),
  ]);
  const query = (overrides: Record<string, string>) => {
    const params = new URLSearchParams({ view: filters.view, ...(filters.datasetVersionId ? { datasetVersionId: filters.datasetVersionId } : {}), ...(filters.tag ? { tag: filters.tag } : {}), ...overrides });
    return params.toString();
  };
  const groups: { benchmark: string; span: number }[] = [];
  for (const column of table.columns) {
    const last = groups.at(-1);
    if (last && last.benchmark === column.benchmark) last.span += 1;
    else groups.push({ benchmark: column.benchmark, span: 1 });
  }

  return (
    <>
      <div className="run-header">
        <h1>Leaderboards</h1>
        <span className="evaluation-links">
          <Link href="/evaluations">Evaluations</Link> · <Link href="/benchmarks">Benchmarks</Link>
        </span>
      </div>
      <nav className="tabs" aria-label="Views">
        {LEADERBOARD_VIEWS.map((candidate) => (
          <Link key={candidate.id} href={`/leaderboards?${query({ view: candidate.id })}`} aria-current={candidate.id === view.id ? "page" : undefined}>
            {candidate.label}
          </Link>
        ))}
      </nav>
      <p className="muted">{view.description}</p>
      <form method="get" className="filters">
        <input type="hidden" name="view" value={view.id} />
        <label>
          Dataset version{" "}
          <select name="datasetVersionId" defaultValue={filters.datasetVersionId ?? ""}>
            <option value="">any</option>
            {versions.map((version) => (
              <option key={version.id} value={version.id}>
                {version.dataset.name} v{version.version} ({version.name})
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          Tag <input name="tag" defaultValue={filters.tag ?? ""} />
        </label>{" "}
        <button type="submit">Filter</button>{" "}
        <a href={`/api/leaderboards?${query({ format: "csv" })}`}>Export CSV</a>{" "}
        <a href={`/api/leaderboards?${query({ format: "latex" })}`}>Export LaTeX</a>
      </form>
      {table.rows.length === 0 ? (
        <p className="muted">No finished evaluations in this view yet.</p>
      ) : (
        <table className="data leaderboard" data-testid="leaderboard-table">
          <thead>
            <tr>
              <th rowSpan={2}>Model</th>
              <th rowSpan={2}>Method</th>
              {table.extraColumns.map((label) => (
                <th key={label} rowSpan={2}>
                  {label}
                </th>
              ))}
              {groups.map((group) => (
                <th key={group.benchmark} colSpan={group.span}>
                  {group.benchmark}
                </th>
              ))}
            </tr>
            <tr>
              {table.columns.map((column) => (
                <th key={`${column.benchmark}-${column.metric.id}`} title={column.metric.better === "lower" ? "lower is better" : "higher is better"}>
                  {column.metric.label} {column.metric.better === "lower" ? "↓" : "↑"}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={row.key}>
                <td>{row.baseModel}</td>
                <td>{row.runId ? <Link href={`/experiments/${row.runId}`}>{row.method}</Link> : row.method}</td>
                {row.extras.map((value, index) => (
                  <td key={`extra-${index}`}>{formatMetric(value)}</td>
                ))}
                {row.cells.map((cell, index) => (
                  <td key={index} className={cell.isBest ? "best" : undefined} title={describeProvenance(cell.provenance)}>
                    {cell.evaluationId ? <Link href={`/evaluations/${cell.evaluationId}`}>{cell.isBest ? <strong>{formatMetric(cell.value)}</strong> : formatMetric(cell.value)}</Link> : "-"}
                    {cell.delta !== null && <span className="muted delta"> {formatDelta(cell.delta)}</span>}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section className="per-cwe" aria-labelledby="per-cwe-title">
        <h2 id="per-cwe-title">Issues per CWE by model (Figure 2)</h2>
        {perCwe.benchmarks.length === 0 ? (
          <p className="muted">No finished evaluations on a security benchmark yet.</p>
        ) : (
          <>
            <form method="get" className="filters">
              {Object.entries(raw)
                .filter(([key]) => key !== "cweBenchmark" && key !== "format")
                .map(([key, value]) => (
                  <input key={key} type="hidden" name={key} value={value} />
                ))}
              <label>
                Security benchmark{" "}
                <select name="cweBenchmark" defaultValue={perCwe.benchmarkId ?? ""}>
                  {perCwe.benchmarks.map((benchmark) => (
                    <option key={benchmark.id} value={benchmark.id}>
                      {benchmark.name}
                    </option>
                  ))}
                </select>
              </label>{" "}
              <button type="submit">Show</button>
            </form>
            <PerCweChart chart={perCwe} />
          </>
        )}
      </section>
    </>
  );
}
