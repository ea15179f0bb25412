"use client";

import Link from "next/link";
import { useState } from "react";
import { apiJson } from "@/components/ui/api-client";
import type { TVersionComparison } from "@/lib/datasets/versions/compare-versions";

export function CompareVersions({ versions }: { versions: { id: string; label: string }[] }) {
  const [a, setA] = useState(versions[1]?.id ?? "");
  const [b, setB] = useState(versions[0]?.id ?? "");
  const [result, setResult] = useState<TVersionComparison | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <h2>Compare versions</h2>
      <form
        className="inline"
        onSubmit={async (event) => {
          event.preventDefault();
          setError(null);
          try {
            setResult((await apiJson<{ comparison: TVersionComparison }>(`/api/dataset-versions/compare?a=${a}&b=${b}`)).comparison);
          } catch (caught) {
            setError((caught as Error).message);
          }
        }}
      >
        {[
          ["From", a, setA],
          ["To", b, setB],
        ].map(([label, value, set]) => (
          <label key={label as string}>
            {label as string}
            <select value={value as string} onChange={(event) => (set as (v: string) => void)(event.target.value)}>
              {versions.map((version) => (
                <option key={version.id} value={version.id}>
                  {version.label}
                </option>
              ))}
            </select>
          </label>
        ))}
        <button type="submit" className="secondary">
          Compare
        </button>
      </form>
      {error && <p className="error">{error}</p>}
      {result && (
        <div className="panel" data-testid="compare-result" style={{ marginTop: 8 }}>
          <p>
            {result.added.length} added, {result.removed.length} removed, {result.changed.length} changed, {result.resplit} moved to another split, {result.unchanged} unchanged.
          </p>
          {(
            [
              ["Added", result.added.map((item) => item.pairId)],
              ["Removed", result.removed.map((item) => item.pairId)],
              ["Changed", result.changed.map((item) => item.pairId)],
            ] as const
          ).map(([label, ids]) =>
            ids.length ? (
              <details key={label}>
                <summary>{label}</summary>
                <ul>
                  {ids.slice(0, 200).map((id) => (
                    <li key={id}>
                      <Link href={`/pairs/${id}`}>{id}</Link>
                    </li>
                  ))}
                </ul>
              </details>
            ) : null,
          )}
        </div>
      )}
    </>
  );
}
