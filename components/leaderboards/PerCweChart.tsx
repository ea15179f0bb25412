"use client";

// The paper's Figure 2: issue counts per CWE by model on a security benchmark, as a grouped bar chart.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TPerCweChart } from "@/lib/eval/queries";

const COLORS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

export function PerCweChart({ chart }: { chart: Pick<TPerCweChart, "series" | "rows"> }) {
  if (chart.series.length === 0) return <p className="muted">No finished evaluations on this benchmark yet.</p>;
  if (chart.rows.length === 0) return <p className="muted" data-testid="per-cwe-empty">The evaluated models have no issues on this benchmark (or no valid generations to analyze).</p>;
  return (
    <div className="per-cwe-chart" data-testid="per-cwe-chart">
      <ResponsiveContainer width="100%" height={320}>
        <BarChart data={chart.rows} margin={{ top: 8, right: 16, bottom: 32, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="cwe" angle={-30} textAnchor="end" interval={0} height={50} />
          <YAxis allowDecimals={false} label={{ value: "issues", angle: -90, position: "insideLeft" }} />
          <Tooltip />
          <Legend verticalAlign="top" />
          {chart.series.map((series, index) => (
            <Bar key={series.key} dataKey={series.key} name={series.label} fill={COLORS[index % COLORS.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <table className="data per-cwe-table" data-testid="per-cwe-table">
        <thead>
          <tr>
            <th>CWE</th>
            {chart.series.map((series) => (
              <th key={series.key}>
                <a href={`/evaluations/${series.evaluationId}`}>{series.label}</a>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {chart.rows.map((row) => (
            <tr key={row.cwe}>
              <td>{row.cwe}</td>
              {chart.series.map((series) => (
                <td key={series.key}>{row[series.key]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
