"use client";

import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TRunDetail, TRunSummary } from "@/lib/training/queries";
import { emaSmooth } from "@/lib/training/smoothing";
import { METRIC_NAMES } from "@/trainer/src/metrics";
import { apiJson } from "@/components/ui/api-client";
import { ACTIVE_STATUSES, formatDuration, formatMetric, statusClass } from "./format";

type Series = Record<string, Map<number, number>>;
type LogLine = { id: string; level: string; message: string; createdAt: string };
type Checkpoint = { id: string; step: number; isFinal: boolean; sizeBytes: number | null; createdAt: string; adapter: { ok: boolean; problems: string[]; r?: number; loraPairs?: number } };

const COLORS = ["#3056d3", "#d9480f", "#2b8a3e", "#862e9c", "#c92a2a", "#0b7285", "#5c940d", "#a61e4d"];

function addPoints(series: Series, points: { name: string; step: number; value: number }[]): Series {
  const next: Series = { ...series };
  for (const point of points) {
    const map = new Map(next[point.name] ?? []);
    map.set(point.step, point.value);
    next[point.name] = map;
  }
  return next;
}

function metricOrder(a: string, b: string): number {
  const ia = (METRIC_NAMES as readonly string[]).indexOf(a);
  const ib = (METRIC_NAMES as readonly string[]).indexOf(b);
  return (ia < 0 ? 999 : ia) - (ib < 0 ? 999 : ib) || a.localeCompare(b);
}

/** One run, live: status, charts of every metric from the event stream, overlays, config, logs, checkpoints. */
export function RunView({ initialRun, canLaunch }: { initialRun: TRunDetail; canLaunch: boolean }) {
  const [run, setRun] = useState(initialRun);
  const [series, setSeries] = useState<Series>({});
  const [logs, setLogs] = useState<LogLine[]>([]);
  const [checkpoints, setCheckpoints] = useState<Checkpoint[]>([]);
  const [smoothing, setSmoothing] = useState(0.6);
  const [otherRuns, setOtherRuns] = useState<TRunSummary[]>([]);
  const [overlayIds, setOverlayIds] = useState<string[]>([]);
  const [overlays, setOverlays] = useState<Record<string, Series>>({});
  const [action, setAction] = useState<{ busy: boolean; message: string | null; error: string | null }>({ busy: false, message: null, error: null });
  const [streamState, setStreamState] = useState("connecting");
  const [pointCount, setPointCount] = useState(0);
  const logBox = useRef<HTMLPreElement>(null);

  const refreshRun = useCallback(() => {
    apiJson<{ run: TRunDetail }>(`/api/runs/${run.id}`).then((data) => setRun(data.run)).catch(() => {});
  }, [run.id]);
  const refreshCheckpoints = useCallback(() => {
    apiJson<{ checkpoints: Checkpoint[] }>(`/api/runs/${run.id}/checkpoints`).then((data) => setCheckpoints(data.checkpoints)).catch(() => {});
  }, [run.id]);

  // The event stream: EventSource reconnects by itself and sends Last-Event-ID, so the server resumes exactly.
  const [streamKey, setStreamKey] = useState(0);
  useEffect(() => {
    // A new stream (first load, or after Resume) replays the run from its start: begin from empty, so the count
    // below is exactly the points this stream delivered.
    setSeries({});
    setLogs([]);
    setPointCount(0);
    const source = new EventSource(`/api/runs/${run.id}/events`);
    source.onopen = () => setStreamState("live");
    source.onerror = () => setStreamState(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting");
    source.addEventListener("metrics", (event) => {
      const data = JSON.parse((event as MessageEvent).data) as { points: { name: string; step: number; value: number }[] };
      setSeries((current) => addPoints(current, data.points));
      setPointCount((count) => count + data.points.length);
    });
    source.addEventListener("log", (event) => {
      const data = JSON.parse((event as MessageEvent).data) as { lines: LogLine[] };
      setLogs((current) => [...current, ...data.lines].slice(-500));
      if (data.lines.some((line) => line.message.startsWith("checkpoint"))) refreshCheckpoints();
    });
    source.addEventListener("status", () => {
      refreshRun();
      refreshCheckpoints();
    });
    source.addEventListener("end", () => {
      source.close();
      setStreamState("finished");
    });
    return () => source.close();
  }, [run.id, streamKey, refreshRun, refreshCheckpoints]);

  useEffect(() => {
    refreshCheckpoints();
    apiJson<{ runs: TRunSummary[] }>("/api/runs?limit=200")
      .then((data) => setOtherRuns(data.runs.filter((other) => other.id !== run.id)))
      .catch(() => {});
  }, [run.id, refreshCheckpoints]);

  useEffect(() => {
    if (logBox.current) logBox.current.scrollTop = logBox.current.scrollHeight;
  }, [logs]);

  // Running time ticks while the run is active.
  useEffect(() => {
    if (!ACTIVE_STATUSES.has(run.status)) return;
    const timer = setInterval(refreshRun, 5000);
    return () => clearInterval(timer);
  }, [run.status, refreshRun]);

  const toggleOverlay = async (id: string) => {
    if (overlayIds.includes(id)) {
      setOverlayIds(overlayIds.filter((other) => other !== id));
      return;
    }
    setOverlayIds([...overlayIds, id]);
    const data = await apiJson<{ metrics: Record<string, { step: number; value: number }[]> }>(`/api/runs/${id}/metrics`);
    const loaded: Series = {};
    for (const [name, points] of Object.entries(data.metrics)) loaded[name] = new Map(points.map((point) => [point.step, point.value]));
    setOverlays((current) => ({ ...current, [id]: loaded }));
  };

  const control = async (kind: "cancel" | "resume") => {
    setAction({ busy: true, message: null, error: null });
    try {
      const result = await apiJson<{ message?: string; status: string; fromStep?: number | null }>(`/api/runs/${run.id}/${kind}`, { method: "POST" });
      setAction({ busy: false, message: kind === "cancel" ? (result.message ?? "cancel requested") : result.fromStep ? `queued again; continues from step ${result.fromStep}` : "queued again", error: null });
      refreshRun();
      if (kind === "resume") setStreamKey((key) => key + 1);
    } catch (error) {
      setAction({ busy: false, message: null, error: (error as Error).message });
    }
  };

  const names = useMemo(() => {
    const all = new Set(Object.keys(series));
    for (const id of overlayIds) for (const name of Object.keys(overlays[id] ?? {})) all.add(name);
    return [...all].sort(metricOrder);
  }, [series, overlays, overlayIds]);

  const chartData = (name: string) => {
    const lines: { key: string; map: Map<number, number> }[] = [{ key: "this run", map: series[name] ?? new Map() }];
    for (const id of overlayIds) {
      const other = otherRuns.find((candidate) => candidate.id === id);
      const map = overlays[id]?.[name];
      if (map) lines.push({ key: other?.name ?? id.slice(0, 8), map });
    }
    const rows = new Map<number, Record<string, number>>();
    for (const line of lines) {
      const steps = [...line.map.keys()].sort((a, b) => a - b);
      const smoothed = emaSmooth(steps.map((step) => line.map.get(step)!), smoothing);
      steps.forEach((step, index) => {
        const row = rows.get(step) ?? { step };
        row[line.key] = smoothed[index]!;
        rows.set(step, row);
      });
    }
    return { keys: lines.map((line) => line.key), rows: [...rows.values()].sort((a, b) => a.step! - b.step!) };
  };

  const terminal = !ACTIVE_STATUSES.has(run.status);
  const canResume = canLaunch && (run.status === "FAILED" || run.status === "CANCELLED" || run.orphaned);
  const canCancel = canLaunch && !terminal && !run.cancelRequested;

  return (
    <>
      <div className="run-header">
        <h1>{run.name}</h1>
        <span className={statusClass(run.status)} data-testid="run-status">
          {run.status.toLowerCase()}
        </span>
        {run.orphaned && <span className="badge badge-bad">worker gone</span>}
        {run.cancelRequested && !terminal && <span className="badge">cancelling…</span>}
        <span className="muted" data-testid="stream-state">
          stream: {streamState}
        </span>
      </div>
      {run.error && (
        <pre className="code run-error" data-testid="run-error">
          {run.error}
        </pre>
      )}
      <div className="panel run-facts">
        <div>
          <span className="muted">Method</span> {run.method} ({run.preset})
        </div>
        <div>
          <span className="muted">Model</span> {run.model?.name}
          {run.parentRun && (
            <>
              {" "}
              + <Link href={`/experiments/${run.parentRun.id}`}>{run.parentRun.name}</Link>
            </>
          )}
        </div>
        <div>
          <span className="muted">Dataset version</span> {run.datasetVersion ? `${run.datasetVersion.datasetName} v${run.datasetVersion.version} · ${run.datasetVersion.name}` : ""}
        </div>
        <div>
          <span className="muted">Backend</span> {run.backend ?? "not started"}
        </div>
        <div>
          <span className="muted">Duration</span> {formatDuration(run.durationSeconds)}
        </div>
        <div>
          <span className="muted">Metric points</span> <span data-testid="metric-count">{pointCount}</span>
        </div>
        {run.tags.length > 0 && (
          <div>
            <span className="muted">Tags</span> {run.tags.join(", ")}
          </div>
        )}
        {canLaunch && (
          <div className="run-actions">
            {canCancel && (
              <button type="button" className="secondary" disabled={action.busy} onClick={() => void control("cancel")}>
                Cancel run
              </button>
            )}
            {canResume && (
              <button type="button" disabled={action.busy} onClick={() => void control("resume")}>
                Resume run
              </button>
            )}
            {run.status === "SUCCEEDED" && <Link href={`/experiments/new?parent=${run.id}`}>Train on top of this run</Link>}
          </div>
        )}
        {action.message && <div data-testid="action-message">{action.message}</div>}
        {action.error && (
          <div className="error" role="alert">
            {action.error}
          </div>
        )}
      </div>

      <h2>Metrics</h2>
      <div className="run-chart-tools">
        <label className="run-inline-label">
          Smoothing {smoothing.toFixed(2)}
          <input type="range" min={0} max={0.99} step={0.01} value={smoothing} onChange={(event) => setSmoothing(Number(event.target.value))} aria-label="Smoothing" />
        </label>
        {otherRuns.length > 0 && (
          <details className="run-overlay-picker">
            <summary>Compare with other runs ({overlayIds.length} shown)</summary>
            <div className="run-overlay-list">
              {otherRuns.map((other) => (
                <label key={other.id} className="run-radio">
                  <input type="checkbox" checked={overlayIds.includes(other.id)} onChange={() => void toggleOverlay(other.id)} /> {other.name}{" "}
                  <span className="muted">({other.status.toLowerCase()})</span>
                </label>
              ))}
            </div>
          </details>
        )}
      </div>
      {names.length === 0 && <p className="muted">{terminal ? "This run reported no metrics." : "Waiting for the first metric points…"}</p>}
      <div className="run-charts" data-testid="run-charts">
        {names.map((name) => {
          const { keys, rows } = chartData(name);
          const last = series[name] ? [...series[name]!.entries()].sort((a, b) => a[0] - b[0]).at(-1) : undefined;
          return (
            <div key={name} className="panel run-chart" data-metric={name}>
              <div className="run-chart-title">
                <strong>{name}</strong> <span className="muted">{last ? `step ${last[0]}: ${formatMetric(last[1])}` : ""}</span>
              </div>
              <ResponsiveContainer width="100%" height={180}>
                <LineChart data={rows} margin={{ left: 4, right: 8, top: 4, bottom: 4 }}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="step" type="number" domain={["dataMin", "dataMax"]} allowDecimals={false} />
                  <YAxis width={72} tick={{ fontSize: 11 }} tickFormatter={(value: number) => formatMetric(value)} domain={["auto", "auto"]} />
                  <Tooltip formatter={(value) => formatMetric(Number(value))} labelFormatter={(label) => `step ${label}`} />
                  {keys.length > 1 && <Legend />}
                  {keys.map((key, index) => (
                    <Line key={key} dataKey={key} stroke={COLORS[index % COLORS.length]} dot={rows.length < 30} isAnimationActive={false} connectNulls strokeWidth={index === 0 ? 2 : 1.5} />
                  ))}
                </LineChart>
              </ResponsiveContainer>
            </div>
          );
        })}
      </div>

      <h2>Checkpoints</h2>
      <table className="data" data-testid="checkpoints-table">
        <thead>
          <tr>
            <th>Step</th>
            <th>Kind</th>
            <th>Size</th>
            <th>Adapter (PEFT layout)</th>
            <th>Written</th>
          </tr>
        </thead>
        <tbody>
          {checkpoints.map((checkpoint) => (
            <tr key={checkpoint.id}>
              <td>{checkpoint.step}</td>
              <td>{checkpoint.isFinal ? "final" : "periodic"}</td>
              <td>{checkpoint.sizeBytes === null ? "" : `${(checkpoint.sizeBytes / 1024).toFixed(0)} KiB`}</td>
              <td data-testid="adapter-check">
                {checkpoint.adapter.ok ? `ok: rank ${checkpoint.adapter.r}, ${checkpoint.adapter.loraPairs} LoRA pairs` : <span className="error">{checkpoint.adapter.problems.join("; ")}</span>}
              </td>
              <td className="muted">{new Date(checkpoint.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {checkpoints.length === 0 && <p className="muted">No checkpoints yet.</p>}

      <h2>Log</h2>
      <pre className="code run-log" ref={logBox} data-testid="run-log">
        {logs.map((line) => `${new Date(line.createdAt).toLocaleTimeString()} ${line.level.padEnd(5)} ${line.message}`).join("\n")}
      </pre>

      <h2>Config</h2>
      <pre className="code run-config" data-testid="run-config">
        {JSON.stringify(run.config, null, 2)}
      </pre>
    </>
  );
}
