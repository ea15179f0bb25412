"use client";

import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import type { TRunSummary } from "@/lib/training/queries";
import { apiJson } from "@/components/ui/api-client";
import { ACTIVE_STATUSES, formatDuration, formatMetric, statusClass } from "./format";

type Column = { key: string; label: string; value: (run: TRunSummary) => string | number | null };

const COLUMNS: Column[] = [
  { key: "name", label: "Run", value: (run) => run.name },
  { key: "status", label: "Status", value: (run) => run.status },
  { key: "method", label: "Method", value: (run) => `${run.method} ${run.preset ?? ""}` },
  { key: "model", label: "Model", value: (run) => run.model?.name ?? "" },
  { key: "version", label: "Dataset version", value: (run) => (run.datasetVersion ? `${run.datasetVersion.datasetName} v${run.datasetVersion.version}` : "") },
  { key: "step", label: "Step", value: (run) => run.lastStep },
  { key: "loss", label: "Loss", value: (run) => run.final.loss ?? null },
  { key: "eval", label: "Eval loss", value: (run) => run.final["eval/loss"] ?? null },
  { key: "acc", label: "Reward acc.", value: (run) => run.final["rewards/accuracies"] ?? null },
  { key: "duration", label: "Duration", value: (run) => run.durationSeconds },
  { key: "backend", label: "Backend", value: (run) => run.backend ?? "" },
  { key: "created", label: "Created", value: (run) => run.createdAt },
];

/** All runs with client-side filters and sorting on every column; refreshes while any run is queued or running. */
export function RunsTable({ initialRuns }: { initialRuns: TRunSummary[] }) {
  const [runs, setRuns] = useState(initialRuns);
  const [filters, setFilters] = useState({ status: "", method: "", model: "", version: "", tag: "", text: "" });
  const [sort, setSort] = useState<{ key: string; desc: boolean }>({ key: "created", desc: true });

  const active = runs.some((run) => ACTIVE_STATUSES.has(run.status));
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      apiJson<{ runs: TRunSummary[] }>("/api/runs?limit=500")
        .then((data) => setRuns(data.runs))
        .catch(() => {});
    }, 3000);
    return () => clearInterval(timer);
  }, [active]);

  const options = useMemo(
    () => ({
      statuses: [...new Set(runs.map((run) => run.status))].sort(),
      methods: [...new Set(runs.map((run) => run.method))].sort(),
      models: [...new Set(runs.map((run) => run.model?.name ?? "").filter(Boolean))].sort(),
      versions: [...new Set(runs.map((run) => COLUMNS[4]!.value(run) as string).filter(Boolean))].sort(),
      tags: [...new Set(runs.flatMap((run) => run.tags))].sort(),
    }),
    [runs],
  );

  const shown = useMemo(() => {
    const column = COLUMNS.find((candidate) => candidate.key === sort.key) ?? COLUMNS[0]!;
    const text = filters.text.toLowerCase();
    return runs
      .filter(
        (run) =>
          (!filters.status || run.status === filters.status) &&
          (!filters.method || run.method === filters.method) &&
          (!filters.model || run.model?.name === filters.model) &&
          (!filters.version || COLUMNS[4]!.value(run) === filters.version) &&
          (!filters.tag || run.tags.includes(filters.tag)) &&
          (!text || run.name.toLowerCase().includes(text)),
      )
      .sort((a, b) => {
        const x = column.value(a);
        const y = column.value(b);
        // Empty cells sort last in either direction.
        if (x === null || x === "") return y === null || y === "" ? 0 : 1;
        if (y === null || y === "") return -1;
        const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
        return sort.desc ? -order : order;
      });
  }, [runs, filters, sort]);

  const select = (key: keyof typeof filters, label: string, values: string[]) => (
    <label>
      {label}
      <select value={filters[key]} onChange={(event) => setFilters({ ...filters, [key]: event.target.value })}>
        <option value="">all</option>
        {values.map((value) => (
          <option key={value} value={value}>
            {value}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <>
      <form className="inline runs-filters" onSubmit={(event) => event.preventDefault()} data-testid="runs-filters">
        {select("status", "Status", options.statuses)}
        {select("method", "Method", options.methods)}
        {select("model", "Model", options.models)}
        {select("version", "Dataset version", options.versions)}
        {select("tag", "Tag", options.tags)}
        <label>
          Name contains
          <input value={filters.text} onChange={(event) => setFilters({ ...filters, text: event.target.value })} />
        </label>
      </form>
      <table className="data" data-testid="runs-table">
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <th key={column.key} aria-sort={sort.key === column.key ? (sort.desc ? "descending" : "ascending") : undefined}>
                <button type="button" className="run-sort" onClick={() => setSort({ key: column.key, desc: sort.key === column.key ? !sort.desc : false })}>
                  {column.label}
                  {sort.key === column.key ? (sort.desc ? " ▼" : " ▲") : ""}
                </button>
              </th>
            ))}
            <th>Tags</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((run) => (
            <tr key={run.id} data-run-id={run.id}>
              <td>
                <Link href={`/experiments/${run.id}`}>{run.name}</Link>
                {run.error && <div className="error run-error-line">{run.error}</div>}
              </td>
              <td>
                <span className={statusClass(run.status)} data-testid="run-status">
                  {run.status.toLowerCase()}
                </span>
              </td>
              <td>
                {run.method}
                {run.preset && <div className="muted">{run.preset}</div>}
              </td>
              <td>{run.model?.name}</td>
              <td>{run.datasetVersion && `${run.datasetVersion.datasetName} v${run.datasetVersion.version}`}</td>
              <td>{run.lastStep ?? ""}</td>
              <td>{formatMetric(run.final.loss)}</td>
              <td>{formatMetric(run.final["eval/loss"])}</td>
              <td>{formatMetric(run.final["rewards/accuracies"])}</td>
              <td>{formatDuration(run.durationSeconds)}</td>
              <td>{run.backend}</td>
              <td className="muted">{new Date(run.createdAt).toLocaleString()}</td>
              <td>
                {run.tags.map((tag) => (
                  <span key={tag} className="badge run-tag">
                    {tag}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length === 0 && <p className="muted">{runs.length ? "No run matches these filters." : "No runs yet."}</p>}
    </>
  );
}
