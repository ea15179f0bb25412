"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { BENCHMARK_FORMATS } from "@/lib/eval/job-payloads";

/** The usual file of each format inside the shared data folder, offered as the server path when the format changes. */
const USUAL_PATHS: Record<string, string> = {
  securityeval: "bench/securityeval/dataset.jsonl",
  asleep: "bench/asleep_at_keyboard/scenario_dow.jsonl",
  llmseceval: "bench/llmseceval/LLMSecEval-Prompts_dataset.json",
  "disco-test": "disco/DiSCo_test.csv",
  humaneval: "bench/humaneval/HumanEval.jsonl",
  "humaneval-x": "bench/humaneval_x_python/humaneval_python.jsonl",
  mbxp: "bench/mbxp_python/mbpp_release_v1.jsonl",
  "mbpp-sanitized": "bench/mbpp/sanitized-mbpp.json",
  safecoder: "safecoder/sec_eval_scenarios",
};

/** Import a benchmark as a job: a file in the shared data folder, or an upload. */
export function BenchmarkImportForm() {
  const router = useRouter();
  const [source, setSource] = useState<"server" | "upload">("server");
  const [format, setFormat] = useState<string>("securityeval");
  const [serverPath, setServerPath] = useState(USUAL_PATHS.securityeval!);
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      let response: Response;
      if (source === "server") {
        response = await fetch("/api/benchmarks/import", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ serverPath, format, ...(name.trim() ? { name: name.trim() } : {}) }),
        });
      } else {
        if (!file) {
          setError("choose a file to upload");
          return;
        }
        const form = new FormData();
        form.set("file", file);
        form.set("format", format);
        if (name.trim()) form.set("name", name.trim());
        response = await fetch("/api/benchmarks/import", { method: "POST", body: form });
      }
      const payload = (await response.json().catch(() => ({}))) as { error?: string; jobId?: string };
      if (!response.ok || !payload.jobId) {
        setError(payload.error ?? `import failed (${response.status})`);
        return;
      }
      setMessage(`Import queued (job ${payload.jobId.slice(0, 8)}); the list updates when it has finished.`);
      // The import job is quick for these files; look again in a moment.
      setTimeout(() => router.refresh(), 3000);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack panel" data-testid="benchmark-import-form" onSubmit={submit}>
      <h2>Import a benchmark</h2>
      <label>
        Format
        <select
          name="format"
          value={format}
          onChange={(event) => {
            setFormat(event.target.value);
            setServerPath(USUAL_PATHS[event.target.value] ?? "");
          }}
        >
          {BENCHMARK_FORMATS.map((candidate) => (
            <option key={candidate}>{candidate}</option>
          ))}
        </select>
      </label>
      <fieldset className="run-source">
        <legend className="muted">From</legend>
        <label className="run-radio">
          <input type="radio" name="source" checked={source === "server"} onChange={() => setSource("server")} /> a file in the shared data folder
        </label>
        <label className="run-radio">
          <input type="radio" name="source" checked={source === "upload"} onChange={() => setSource("upload")} /> an upload
        </label>
        {source === "server" ? (
          <label>
            Path (relative to the shared data folder)
            <input name="serverPath" value={serverPath} onChange={(event) => setServerPath(event.target.value)} />
          </label>
        ) : (
          <label>
            File
            <input name="file" type="file" onChange={(event) => setFile(event.target.files?.[0] ?? null)} />
          </label>
        )}
      </fieldset>
      <label>
        Name (optional; default the benchmark&apos;s usual name)
        <input name="name" value={name} onChange={(event) => setName(event.target.value)} />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {message && (
        <p className="muted" role="status">
          {message}
        </p>
      )}
      <div>
        <button type="submit" disabled={busy}>
          {busy ? "Queuing…" : "Import"}
        </button>
      </div>
    </form>
  );
}
