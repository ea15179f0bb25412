"use client";
// A distillation job, live: polls its progress while it runs (counts, spend and projection, ETA, flagged share per
// refinement round, the latest pairs) with pause, resume and cancel.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { apiJson } from "@/components/ui/api-client";
import type { TDistillProgress } from "@/lib/distill/engine/progress";

const ACTIVE = new Set(["QUEUED", "RUNNING"]);

function formatEta(seconds: number | null): string {
  if (seconds === null) return "-";
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

const pct = (share: number | null) => (share === null ? "-" : `${(share * 100).toFixed(1)}%`);

export function DistillJobView({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ["distill-job", id],
    queryFn: () => apiJson<{ job: TDistillProgress }>(`/api/distill/${id}`).then((r) => r.job),
    refetchInterval: (q) => (q.state.data && !ACTIVE.has(q.state.data.status) ? 10_000 : 1_500),
  });
  const action = useMutation({
    mutationFn: (what: "pause" | "resume" | "cancel") => apiJson(`/api/distill/${id}/${what}`, { method: "POST", body: {} }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["distill-job", id] }),
  });

  if (query.error) return <p className="error">{(query.error as Error).message}</p>;
  const job = query.data;
  if (!job) return <p className="muted">Loading…</p>;
  const c = job.counts;
  return (
    <>
      <div className="run-header">
        <h1>{job.name}</h1>
        <span className={`badge distill-status-${job.status.toLowerCase()}`} data-testid="distill-status">
          {job.status.toLowerCase()}
        </span>
        <div className="run-actions">
          {ACTIVE.has(job.status) && (
            <button type="button" className="secondary" onClick={() => action.mutate("pause")} disabled={action.isPending}>
              Pause
            </button>
          )}
          {(job.status === "PAUSED" || job.status === "FAILED") && (
            <button type="button" onClick={() => action.mutate("resume")} disabled={action.isPending}>
              Resume
            </button>
          )}
          {job.status !== "SUCCEEDED" && job.status !== "CANCELLED" && (
            <button type="button" className="secondary" onClick={() => action.mutate("cancel")} disabled={action.isPending}>
              Cancel
            </button>
          )}
        </div>
      </div>
      {action.error && <p className="error">{(action.error as Error).message}</p>}
      {job.error && job.status !== "SUCCEEDED" && (
        <p className={job.status === "FAILED" ? "error" : "muted"} data-testid="distill-error">
          {job.error}
        </p>
      )}
      <p className="muted">
        {job.model} via {job.providerName ?? "(deleted provider)"} · {job.rounds} refinement round{job.rounds === 1 ? "" : "s"} · concurrency {job.concurrency} · into{" "}
        {job.datasetId ? <Link href={`/datasets/${job.datasetId}`}>{job.datasetName}</Link> : "(deleted dataset)"}
      </p>
      <progress value={c.done} max={c.planned || 1} className="distill-progress" />
      <div className="grid distill-counts" data-testid="distill-counts">
        <Stat label="Planned" value={c.planned} id="planned" />
        <Stat label="Sent" value={c.sent} id="sent" />
        <Stat label="Parsed" value={c.parsed} id="parsed" />
        <Stat label="Failed" value={c.failed} id="failed" />
        <Stat label="Pairs" value={c.pairs} id="pairs" />
        <Stat label="Still flagged" value={c.flagged} id="flagged" />
        <Stat label="Spent" value={`$${job.spentUsd.toFixed(4)}`} id="spent" />
        <Stat label="Projected" value={job.projectedUsd === null ? "-" : `$${job.projectedUsd.toFixed(2)}`} id="projected" />
        <Stat label="Budget" value={job.budgetUsd === null ? "none" : `$${job.budgetUsd.toFixed(2)}`} id="budget" />
        <Stat label="ETA" value={formatEta(job.etaSeconds)} id="eta" />
      </div>
      <h2>Flagged secure code by refinement round</h2>
      <table className="data" data-testid="distill-rounds">
        <thead>
          <tr>
            <th>After round</th>
            <th>Analyzed</th>
            <th>Flagged</th>
            <th>Share</th>
          </tr>
        </thead>
        <tbody>
          {job.flaggedByRound.map((row) => (
            <tr key={row.round}>
              <td>{row.round === 0 ? "0 (generation)" : row.round}</td>
              <td>{row.analyzed}</td>
              <td>{row.flagged}</td>
              <td>{pct(row.share)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <RoundDatasetForm id={id} rounds={job.rounds} />
      <p className="muted">
        {job.attempts.total} requests ({job.attempts.refine} refinements, {job.attempts.failed} failed or unusable), {job.attempts.promptTokens.toLocaleString()} prompt and{" "}
        {job.attempts.completionTokens.toLocaleString()} completion tokens.
      </p>
      <h2>Latest pairs</h2>
      <table className="data" data-testid="distill-latest">
        <thead>
          <tr>
            <th>Pair</th>
            <th>CWE</th>
            <th>Round</th>
            <th>Secure code flagged</th>
          </tr>
        </thead>
        <tbody>
          {job.latestPairs.map((pair) => (
            <tr key={pair.id}>
              <td>
                <Link href={`/pairs/${pair.id}`}>{pair.instruction.slice(0, 120) || pair.id}</Link>
              </td>
              <td>{pair.cweId ?? "-"}</td>
              <td>{pair.refinementRound}</td>
              <td>{pair.secureFlagged === null ? "not analyzed" : pair.secureFlagged ? "yes" : "no"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {job.latestPairs.length === 0 && <p className="muted">No pairs yet.</p>}
    </>
  );
}

function Stat({ label, value, id }: { label: string; value: number | string; id: string }) {
  return (
    <div className="panel">
      <div className="muted">{label}</div>
      <div className="stat" data-testid={`distill-${id}`}>
        {value}
      </div>
    </div>
  );
}

/** Copies the job's pairs as they stood after one round into a new dataset (e.g. to train on unrefined vs refined data). */
function RoundDatasetForm({ id, rounds }: { id: string; rounds: number }) {
  const [round, setRound] = useState(rounds);
  const [name, setName] = useState("");
  const build = useMutation({
    mutationFn: () => apiJson<{ datasetId: string; pairs: number }>(`/api/distill/${id}/round-dataset`, { method: "POST", body: { round, name } }),
  });
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    build.mutate();
  }
  return (
    <form className="filters" onSubmit={onSubmit} aria-label="Dataset from a round">
      <label>
        Dataset from round{" "}
        <select value={round} onChange={(event) => setRound(Number(event.target.value))}>
          {Array.from({ length: rounds + 1 }, (_, k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      <input value={name} onChange={(event) => setName(event.target.value)} placeholder="new dataset name" aria-label="Round dataset name" required />
      <button type="submit" className="secondary" disabled={build.isPending}>
        Build dataset
      </button>
      {build.data && (
        <span>
          <Link href={`/datasets/${build.data.datasetId}`}>{build.data.pairs} pairs copied</Link>
        </span>
      )}
      {build.error && <span className="error">{(build.error as Error).message}</span>}
    </form>
  );
}
