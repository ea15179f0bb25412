"use client";

import { useState } from "react";
import { apiJson } from "@/components/ui/api-client";

const STATUSES = ["UNREVIEWED", "IN_REVIEW", "ACCEPTED", "REJECTED", "CONFLICT"] as const;

function parseList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Freeze a selection into a version: statuses (none ticked = all), CWE filter, sources, OOD exclusions, split and seed. */
export function FreezeVersionForm({ datasetId, sources, onFrozen }: { datasetId: string; sources: string[]; onFrozen: () => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [statuses, setStatuses] = useState<string[]>([]);
  const [cwes, setCwes] = useState("");
  const [chosenSources, setChosenSources] = useState<string[]>([]);
  const [exclude, setExclude] = useState("");
  const [split, setSplit] = useState({ train: "0.95", val: "0.03", test: "0.02", seed: "42" });
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = (list: string[], value: string) => (list.includes(value) ? list.filter((item) => item !== value) : [...list, value]);

  return (
    <>
      <h2>Freeze a version</h2>
      <form
        className="stack panel"
        data-testid="freeze-form"
        onSubmit={async (event) => {
          event.preventDefault();
          setError(null);
          setResult(null);
          setBusy(true);
          try {
            const body = {
              name,
              description,
              selection: {
                ...(statuses.length ? { statuses } : {}),
                ...(parseList(cwes).length ? { cwes: parseList(cwes) } : {}),
                ...(chosenSources.length ? { sources: chosenSources } : {}),
              },
              excludeCwes: parseList(exclude),
              split: { train: Number(split.train), val: Number(split.val), test: Number(split.test), seed: Number(split.seed) },
            };
            const { version } = await apiJson<{ version: { version: number; pairCount: number; contentHash: string } }>(`/api/datasets/${datasetId}/versions`, { method: "POST", body });
            setResult(`Froze version ${version.version}: ${version.pairCount} pairs, hash ${version.contentHash.slice(0, 12)}`);
            setName("");
            onFrozen();
          } catch (caught) {
            setError((caught as Error).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        <label>
          Version name
          <input value={name} onChange={(event) => setName(event.target.value)} required placeholder="e.g. v1-accepted" />
        </label>
        <label>
          Description
          <input value={description} onChange={(event) => setDescription(event.target.value)} />
        </label>
        <fieldset>
          <legend className="muted">Review status (none ticked: all pairs)</legend>
          {STATUSES.map((status) => (
            <label key={status} style={{ display: "inline-flex", flexDirection: "row", marginRight: 12 }}>
              <input type="checkbox" checked={statuses.includes(status)} onChange={() => setStatuses(toggle(statuses, status))} />
              {status.toLowerCase().replace("_", " ")}
            </label>
          ))}
        </fieldset>
        {sources.length > 1 && (
          <fieldset>
            <legend className="muted">Sources (none ticked: all)</legend>
            {sources.map((source) => (
              <label key={source} style={{ display: "inline-flex", flexDirection: "row", marginRight: 12 }}>
                <input type="checkbox" checked={chosenSources.includes(source)} onChange={() => setChosenSources(toggle(chosenSources, source))} />
                {source}
              </label>
            ))}
          </fieldset>
        )}
        <label>
          Only these CWEs (comma-separated, empty: all)
          <input value={cwes} onChange={(event) => setCwes(event.target.value)} placeholder="CWE-78, CWE-89" />
        </label>
        <label>
          Exclude CWEs (out-of-distribution set)
          <input value={exclude} onChange={(event) => setExclude(event.target.value)} placeholder="CWE-79, CWE-502" />
        </label>
        <div className="inline" style={{ display: "flex", gap: 8 }}>
          {(["train", "val", "test", "seed"] as const).map((key) => (
            <label key={key}>
              {key === "seed" ? "Seed" : `${key} fraction`}
              <input value={split[key]} onChange={(event) => setSplit({ ...split, [key]: event.target.value })} size={6} />
            </label>
          ))}
        </div>
        <div>
          <button type="submit" disabled={busy}>
            {busy ? "Freezing…" : "Freeze version"}
          </button>
        </div>
        {error && <p className="error" role="alert">{error}</p>}
        {result && <p data-testid="freeze-result">{result}</p>}
      </form>
    </>
  );
}
