"use client";
// Upload a DiSCo rules CSV or MITRE's CWE CSV; the import runs at once and its report lists bad rows by line.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { TKbImportReport } from "@/lib/knowledge/import-kb";
import { KB_SOURCES } from "@/lib/knowledge/sources";

export function KbImportForm() {
  const router = useRouter();
  const [report, setReport] = useState<TKbImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      // No JSON here: the browser sets the multipart boundary itself.
      const response = await fetch("/api/knowledge/import", { method: "POST", body: new FormData(event.currentTarget) });
      const payload = (await response.json().catch(() => ({}))) as TKbImportReport & { error?: string };
      if (!response.ok) throw new Error(payload.error ?? `import failed (${response.status})`);
      setReport(payload);
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel inline kb-import" onSubmit={onSubmit} aria-label="Import knowledge base">
      <label>
        CSV file
        <input name="file" type="file" accept=".csv,text/csv" required />
      </label>
      <label>
        Format
        <select name="format" defaultValue="">
          <option value="">detect from the header</option>
          <option value="disco">DiSCo rules (Title, CWE, Description, Examples)</option>
          <option value="mitre">MITRE CWE export (CWE-ID, Name, Description)</option>
        </select>
      </label>
      <label>
        Source
        <select name="source" defaultValue="">
          <option value="">from the file name / format</option>
          {KB_SOURCES.map((s) => (
            <option key={s} value={s}>
              {s.toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={busy}>
        Import
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {report && (
        <div data-testid="kb-import-report" className="kb-wide">
          <p>
            {report.format} ({report.source.toLowerCase()}): {report.total} rows, {report.created} created, {report.updated} updated, {report.unchanged} unchanged,{" "}
            {report.invalidCount} invalid.
          </p>
          {report.invalid.length > 0 && (
            <ul className="kb-invalid">
              {report.invalid.map((row) => (
                <li key={`${row.line}-${row.reason}`}>
                  line {row.line}: {row.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}
