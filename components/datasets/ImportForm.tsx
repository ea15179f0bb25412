"use client";
// Upload a pairs file, then follow its import job until the report (inserted, already present, invalid rows) is in.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ApiError, apiJson } from "@/components/ui/api-client";
import type { TImportFormat } from "@/lib/datasets/import/formats";
import type { TImportJobResult } from "@/lib/datasets/import/import-job";

const FORMAT_LABELS: Record<TImportFormat, string> = {
  "disco-csv": "DiSCo CSV (Instruction/Prompt, Secure Code, Vulnerable Code, Reasoning)",
  "disco-jsonl": "DiSCo JSONL (our field names)",
  safecoder: "SafeCoder JSONL (func_src_before/after, vul_type)",
  trl: "TRL preference JSONL (prompt, chosen, rejected)",
};

type JobView = { state: string; done: number; total: number | null; message: string | null; result: TImportJobResult | null; output: unknown };

async function uploadFile(form: FormData): Promise<{ jobId: string }> {
  // No JSON here: the browser sets the multipart boundary itself.
  const response = await fetch("/api/datasets/import", { method: "POST", body: form });
  const payload = (await response.json().catch(() => ({}))) as { jobId?: string; error?: string };
  if (!response.ok || !payload.jobId) throw new ApiError(response.status, payload.error ?? `upload failed (${response.status})`);
  return { jobId: payload.jobId };
}

function failureMessage(output: unknown): string {
  if (output && typeof output === "object" && "message" in output) return String((output as { message: unknown }).message);
  return "the import failed";
}

export function ImportForm() {
  const [jobId, setJobId] = useState<string | null>(null);
  const upload = useMutation({ mutationFn: uploadFile, onSuccess: ({ jobId }) => setJobId(jobId) });
  const job = useQuery({
    queryKey: ["job", jobId],
    queryFn: () => apiJson<{ job: JobView }>(`/api/jobs/${jobId}`).then((data) => data.job),
    enabled: jobId !== null,
    refetchInterval: (query) => (query.state.data && ["completed", "failed", "cancelled"].includes(query.state.data.state) ? false : 1_000),
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setJobId(null);
    upload.mutate(new FormData(event.currentTarget));
  }

  const view = job.data;
  const report = view?.state === "completed" ? view.result : null;
  return (
    <>
      <form className="panel" onSubmit={onSubmit} aria-label="Import pairs">
        <label>
          File
          <input name="file" type="file" accept=".csv,.jsonl,.json,.ndjson" required />
        </label>
        <label>
          Dataset
          <input name="dataset" required maxLength={200} placeholder="new or existing dataset name" />
        </label>
        <label>
          Format
          <select name="format" defaultValue="">
            <option value="">detect from the file</option>
            {(Object.keys(FORMAT_LABELS) as TImportFormat[]).map((format) => (
              <option key={format} value={format}>
                {FORMAT_LABELS[format]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={upload.isPending || (jobId !== null && !report && view?.state !== "failed")}>
          Import
        </button>
        {upload.error && (
          <p className="error" role="alert">
            {(upload.error as Error).message}
          </p>
        )}
      </form>

      {jobId && (
        <section aria-label="Import progress" data-testid="import-progress">
          <h2>Import job</h2>
          {job.error && <p className="error">{(job.error as Error).message}</p>}
          {view && !report && (
            <p>
              {view.state === "failed" ? (
                <span className="error" role="alert">
                  Failed: {failureMessage(view.output)}
                </span>
              ) : (
                <>
                  <progress value={view.done} max={view.total ?? undefined} /> {view.state}: {view.done}
                  {view.total !== null ? ` of ${view.total}` : ""} {view.message ?? ""}
                </>
              )}
            </p>
          )}
          {report && <ImportReport report={report} />}
        </section>
      )}
    </>
  );
}

function ImportReport({ report }: { report: TImportJobResult }) {
  return (
    <div data-testid="import-report">
      <p>
        <strong>{report.datasetName}</strong> ({report.format}): {report.total} rows, <strong data-testid="import-inserted">{report.inserted}</strong> inserted,{" "}
        {report.duplicates} already present, {report.invalidCount} invalid.
        {report.analyzeJobId ? " Analysis of the new pairs is queued." : ""}
      </p>
      {report.invalid.length > 0 && (
        <table className="data" data-testid="import-invalid">
          <thead>
            <tr>
              <th>Line</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {report.invalid.map((row) => (
              <tr key={`${row.line}-${row.reason}`}>
                <td>{row.line}</td>
                <td>{row.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.invalidCount > report.invalid.length && <p className="muted">… and {report.invalidCount - report.invalid.length} more invalid rows.</p>}
    </div>
  );
}
