"use client";

import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TCoverage } from "@/lib/coverage/get-coverage";

export function CoverageView({ coverage, datasets }: { coverage: TCoverage; datasets: { id: string; name: string }[] }) {
  const router = useRouter();
  const rates = coverage.perCwe.filter((row) => row.flaggedRate !== null).map((row) => ({ ...row, percent: Math.round(row.flaggedRate! * 1000) / 10 }));
  const chartHeight = (rows: number) => Math.max(200, rows * 22 + 40);
  return (
    <>
      <h1>Coverage</h1>
      <label style={{ maxWidth: 320 }}>
        Dataset
        <select value={coverage.datasetId ?? ""} onChange={(event) => router.push(event.target.value ? `/coverage?dataset=${event.target.value}` : "/coverage")}>
          <option value="">All datasets</option>
          {datasets.map((dataset) => (
            <option key={dataset.id} value={dataset.id}>
              {dataset.name}
            </option>
          ))}
        </select>
      </label>
      <p className="muted" data-testid="coverage-summary">
        {coverage.totalPairs} pairs over {coverage.perCwe.length} CWEs; {coverage.pairsWithoutCwe} without a CWE; {coverage.uncovered.length} knowledge-base CWEs with no pair.
      </p>

      <h2>Pairs per CWE</h2>
      <div className="panel" data-testid="pairs-per-cwe">
        <ResponsiveContainer width="100%" height={chartHeight(coverage.perCwe.length)}>
          <BarChart data={coverage.perCwe} layout="vertical" margin={{ left: 40 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="cweId" width={90} interval={0} />
            <Tooltip formatter={(value) => [value, "pairs"]} labelFormatter={(label) => `${label} ${coverage.perCwe.find((row) => row.cweId === label)?.title ?? ""}`} />
            <Bar dataKey="pairs" fill="#3451b2" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>

      <h2>Secure side still flagged, per CWE</h2>
      <p className="muted">Share of analyzed pairs whose secure code still has an analyzer finding; pairs not yet analyzed are left out.</p>
      <div className="panel" data-testid="flagged-rate">
        {rates.length === 0 ? (
          <p className="muted">No analyzed pairs yet.</p>
        ) : (
          <ResponsiveContainer width="100%" height={chartHeight(rates.length)}>
            <BarChart data={rates} layout="vertical" margin={{ left: 40 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis type="number" domain={[0, 100]} unit="%" />
              <YAxis type="category" dataKey="cweId" width={90} interval={0} />
              <Tooltip formatter={(value, _name, item) => [`${value}% (${item.payload.secureFlagged} of ${item.payload.analyzed})`, "flagged"]} />
              <Bar dataKey="percent" fill="#c0392b" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        )}
      </div>

      <h2>Knowledge-base CWEs with no pairs</h2>
      {coverage.uncovered.length === 0 ? (
        <p className="muted">Every knowledge-base CWE has at least one pair.</p>
      ) : (
        <ul data-testid="uncovered">
          {coverage.uncovered.map((row) => (
            <li key={row.cweId}>
              <a href={`/knowledge?cwe=${row.cweId}`}>{row.cweId}</a> {row.title}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
