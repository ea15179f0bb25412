// Small display helpers shared by the experiment components.
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "";
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

export function formatMetric(value: number | undefined): string {
  if (value === undefined || value === null) return "";
  if (value === 0) return "0";
  const abs = Math.abs(value);
  return abs >= 1000 || abs < 0.001 ? value.toExponential(2) : value.toPrecision(4);
}

export function statusClass(status: string): string {
  if (status === "SUCCEEDED") return "badge badge-ok";
  if (status === "FAILED") return "badge badge-bad";
  if (status === "RUNNING") return "badge run-badge-running";
  if (status === "CANCELLED") return "badge run-badge-cancelled";
  return "badge";
}

export const ACTIVE_STATUSES = new Set(["QUEUED", "RUNNING"]);
