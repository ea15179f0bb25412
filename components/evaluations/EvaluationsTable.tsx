"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { apiJson } from "@/components/ui/api-client";
import type { TEvaluationListItem } from "@/lib/eval/queries";

const ACTIVE = new Set(["QUEUED", "RUNNING"]);

function statusClass(status: string): string {
  if (status === "SUCCEEDED") return "badge badge-ok";
  if (status === "FAILED") return "badge badge-bad";
  return "badge";
}

/** InS and I@100 as the scorer writes them (percent, per 100); pass@k as a percentage of the fraction. */
function num(value: number | null | undefined, scale = 1): string {
  return value === null || value === undefined ? "-" : (value * scale).toFixed(1);
}

/** Every evaluation with its status and headline numbers; refreshes while any is queued or running. */
export function EvaluationsTable({ initial, canLaunch }: { initial: TEvaluationListItem[]; canLaunch: boolean }) {
  const [evaluations, setEvaluations] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const active = evaluations.some((e) => ACTIVE.has(e.status));
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      apiJson<{ evaluations: TEvaluationListItem[] }>("/api/evaluations?limit=500")
        .then((data) => setEvaluations(data.evaluations))
        .catch(() => {});
    }, 3000);
    return () => clearInterval(timer);
  }, [active]);

  const cancel = async (id: string) => {
    setError(null);
    try {
      await apiJson(`/api/evaluations/${id}/cancel`, { method: "POST" });
      const data = await apiJson<{ evaluations: TEvaluationListItem[] }>("/api/evaluations?limit=500");
      setEvaluations(data.evaluations);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  if (evaluations.length === 0) return <p className="muted">No evaluations yet.</p>;
  return (
    <>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <table className="data" data-testid="evaluations-table">
        <thead>
          <tr>
            <th>Model / run</th>
            <th>Benchmark</th>
            <th>Status</th>
            <th>Generations</th>
            <th title="insecure valid generations per 100 valid, lower is better">InS ↓</th>
            <th title="distinct issues per 100 valid generations, lower is better">I@100 ↓</th>
            <th>pass@1 ↑</th>
            <th>pass@5 ↑</th>
            <th>Created</th>
            {canLaunch && <th />}
          </tr>
        </thead>
        <tbody>
          {evaluations.map((e) => (
            <tr key={e.id} data-evaluation-id={e.id} data-status={e.status}>
              <td>
                <Link href={`/evaluations/${e.id}`}>{e.subject}</Link>
                {e.checkpointStep !== null && <span className="muted"> step {e.checkpointStep}</span>}
                {e.runId && (
                  <>
                    {" "}
                    <Link className="muted" href={`/experiments/${e.runId}`}>
                      (run)
                    </Link>
                  </>
                )}
              </td>
              <td>
                {e.benchmark.name} <span className="muted">({e.benchmark.kind.toLowerCase()})</span>
              </td>
              <td>
                <span className={statusClass(e.status)} title={e.error ?? undefined}>
                  {e.status.toLowerCase()}
                </span>
                {e.error && <div className="muted evaluation-error">{e.error}</div>}
              </td>
              <td>
                {e.generations}
                {e.summary && <span className="muted"> ({e.summary.invalid} invalid)</span>}
              </td>
              <td>{num(e.summary?.InS)}</td>
              <td>{num(e.summary?.["I@100"])}</td>
              <td>{num(e.summary?.["pass@1"], 100)}</td>
              <td>{num(e.summary?.["pass@5"], 100)}</td>
              <td>{new Date(e.createdAt).toLocaleString()}</td>
              {canLaunch && (
                <td>
                  {ACTIVE.has(e.status) && (
                    <button type="button" className="secondary" onClick={() => void cancel(e.id)}>
                      Cancel
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
