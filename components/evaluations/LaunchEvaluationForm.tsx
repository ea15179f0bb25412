"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { TEvaluationLaunchOptions } from "@/lib/eval/queries";

type FieldIssue = { path: string; message: string };
type Subject = "run" | "model" | "frontier";

// Defaults per method.md section 6, shown as placeholders; an empty field lets the server apply them.
const DEFAULT_TEMPERATURE = { SECURITY: 0.4, UTILITY: 0.6 } as const;

function numberOrUndefined(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  // Unparseable text goes to the server as is, so its message names the field.
  return Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
}

export function LaunchEvaluationForm({ options, initialRunId }: { options: TEvaluationLaunchOptions; initialRunId: string | null }) {
  const router = useRouter();
  const [subject, setSubject] = useState<Subject>(options.runs.length > 0 || initialRunId ? "run" : "model");
  const [runId, setRunId] = useState(initialRunId ?? options.runs[0]?.id ?? "");
  const run = options.runs.find((candidate) => candidate.id === runId);
  const [checkpointId, setCheckpointId] = useState("");
  const [modelId, setModelId] = useState(options.models[0]?.id ?? "");
  const [providerId, setProviderId] = useState(options.providers[0]?.id ?? "");
  const [frontierModel, setFrontierModel] = useState("");
  const [benchmarkId, setBenchmarkId] = useState(options.benchmarks[0]?.id ?? "");
  const benchmark = options.benchmarks.find((candidate) => candidate.id === benchmarkId);
  const [samples, setSamples] = useState("5");
  const [temperature, setTemperature] = useState("");
  const [maxNewTokens, setMaxNewTokens] = useState("");
  const [limit, setLimit] = useState("");
  const [seed, setSeed] = useState("");
  const [tags, setTags] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [busy, setBusy] = useState(false);

  const issuesFor = (...paths: string[]) =>
    issues
      .filter((issue) => paths.includes(issue.path))
      .map((issue) => (
        <div key={issue.path + issue.message} className="error" role="alert" data-field-error={issue.path}>
          {issue.message}
        </div>
      ));

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setIssues([]);
    const body: Record<string, unknown> = {
      benchmarkId,
      samples: numberOrUndefined(samples),
      temperature: numberOrUndefined(temperature),
      maxNewTokens: numberOrUndefined(maxNewTokens),
      limit: numberOrUndefined(limit),
      seed: numberOrUndefined(seed),
      tags: tags.split(",").map((tag) => tag.trim()).filter(Boolean),
    };
    if (subject === "run") Object.assign(body, { runId, ...(checkpointId ? { checkpointId } : {}) });
    if (subject === "model") body.modelId = modelId;
    if (subject === "frontier") Object.assign(body, { frontierModel: frontierModel.trim(), providerId });
    for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
    try {
      const response = await fetch("/api/evaluations", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      const payload = (await response.json().catch(() => ({}))) as { error?: string; details?: FieldIssue[]; evaluation?: { id: string } };
      if (!response.ok || !payload.evaluation) {
        setError(payload.error ?? `launch failed (${response.status})`);
        setIssues(payload.details ?? []);
        return;
      }
      router.push(`/evaluations?launched=${payload.evaluation.id}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack panel" data-testid="evaluation-form" onSubmit={submit}>
      <fieldset className="run-source">
        <legend className="muted">Evaluate</legend>
        <label className="run-radio">
          <input type="radio" name="subject" checked={subject === "run"} onChange={() => setSubject("run")} disabled={options.runs.length === 0} /> a finished
          training run
        </label>
        <label className="run-radio">
          <input type="radio" name="subject" checked={subject === "model"} onChange={() => setSubject("model")} disabled={options.models.length === 0} /> a
          registered base model
        </label>
        <label className="run-radio">
          <input type="radio" name="subject" checked={subject === "frontier"} onChange={() => setSubject("frontier")} disabled={options.providers.length === 0} />{" "}
          a frontier model through a provider
        </label>
        {subject === "run" && (
          <>
            <label>
              Run
              <select name="runId" value={runId} onChange={(event) => (setRunId(event.target.value), setCheckpointId(""))}>
                {options.runs.map((candidate) => (
                  <option key={candidate.id} value={candidate.id}>
                    {candidate.name} ({candidate.preset ?? candidate.method})
                  </option>
                ))}
              </select>
            </label>
            <label>
              Checkpoint
              <select name="checkpointId" value={checkpointId} onChange={(event) => setCheckpointId(event.target.value)}>
                <option value="">final</option>
                {run?.checkpoints.map((checkpoint) => (
                  <option key={checkpoint.id} value={checkpoint.id}>
                    step {checkpoint.step}
                    {checkpoint.isFinal ? " (final)" : ""}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        {subject === "model" && (
          <label>
            Base model
            <select name="modelId" value={modelId} onChange={(event) => setModelId(event.target.value)}>
              {options.models.map((model) => (
                <option key={model.id} value={model.id}>
                  {model.name} ({model.architecture})
                </option>
              ))}
            </select>
          </label>
        )}
        {subject === "frontier" && (
          <div className="run-row">
            <label>
              Provider
              <select name="providerId" value={providerId} onChange={(event) => setProviderId(event.target.value)}>
                {options.providers.map((provider) => (
                  <option key={provider.id} value={provider.id}>
                    {provider.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Model name
              <input name="frontierModel" value={frontierModel} onChange={(event) => setFrontierModel(event.target.value)} placeholder="gpt-4o" />
            </label>
          </div>
        )}
        {issuesFor("subject", "runId", "checkpointId", "modelId", "providerId", "frontierModel")}
      </fieldset>
      <label>
        Benchmark
        <select name="benchmarkId" value={benchmarkId} onChange={(event) => setBenchmarkId(event.target.value)}>
          {options.benchmarks.length === 0 && <option value="">no benchmarks yet: import one</option>}
          {options.benchmarks.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.name} ({candidate.kind.toLowerCase()}, {candidate.items} items)
            </option>
          ))}
        </select>
      </label>
      {issuesFor("benchmarkId")}
      <div className="run-row evaluation-settings">
        <label>
          Samples per item
          <input name="samples" value={samples} onChange={(event) => setSamples(event.target.value)} inputMode="numeric" />
          {issuesFor("samples")}
        </label>
        <label>
          Temperature
          <input name="temperature" value={temperature} onChange={(event) => setTemperature(event.target.value)} placeholder={String(DEFAULT_TEMPERATURE[(benchmark?.kind ?? "SECURITY") as "SECURITY" | "UTILITY"])} />
          {issuesFor("temperature")}
        </label>
        <label>
          Max new tokens
          <input name="maxNewTokens" value={maxNewTokens} onChange={(event) => setMaxNewTokens(event.target.value)} placeholder="512" inputMode="numeric" />
          {issuesFor("maxNewTokens")}
        </label>
        <label>
          Limit (first N items)
          <input name="limit" value={limit} onChange={(event) => setLimit(event.target.value)} placeholder="all" inputMode="numeric" />
          {issuesFor("limit")}
        </label>
        <label>
          Seed
          <input name="seed" value={seed} onChange={(event) => setSeed(event.target.value)} placeholder="0" inputMode="numeric" />
          {issuesFor("seed")}
        </label>
        <label>
          Tags (comma-separated)
          <input name="tags" value={tags} onChange={(event) => setTags(event.target.value)} />
        </label>
      </div>
      <p className="muted">
        Defaults (method.md): 5 samples, top_p 0.95, top_k 50, 512 new tokens; T 0.4 on security benchmarks. A utility evaluation samples at T 0.6 and reports pass@1 and
        pass@5 from the same samples; for the paper&apos;s pass@1 at T 0.2, launch a second evaluation with temperature 0.2.
      </p>
      {error && (
        <p className="error" role="alert" data-testid="evaluation-error">
          {error}
        </p>
      )}
      <div>
        <button type="submit" disabled={busy || !benchmarkId}>
          {busy ? "Launching…" : "Launch evaluation"}
        </button>
      </div>
    </form>
  );
}
