"use client";
// The launch form: provider and model, sampling, refinement rounds, budget and target dataset; "Preview" shows the
// planned CWE coverage and the cost estimate (nothing is stored), "Launch" stores the plan and opens the job page.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { apiJson } from "@/components/ui/api-client";

type Options = {
  providers: { id: string; name: string; baseUrl: string }[];
  datasets: { id: string; name: string }[];
  templates: { id: string; name: string; kind: "GENERATION" | "REFINEMENT" | "REASONING"; version: number }[];
  cwes: { cweId: string; entries: number }[];
  sources: { source: string; entries: number }[];
  packages: { id: string; name: string }[];
  prices: { model: string; inputUsdPerMTok: number; outputUsdPerMTok: number }[];
};

type Preview = {
  coverage: { cwesSelected: number; cwesCovered: number; perCwe: { cweId: string; simple: number; complex: number }[] };
  planned: number;
  simple: number;
  complex: number;
  estimate: { expectedUsd: number; worstCaseUsd: number; assumptions: string; price: { inputUsdPerMTok: number; outputUsdPerMTok: number } };
  withinBudget: boolean;
  samplePrompt: string;
};

const num = (form: FormData, name: string) => Number(form.get(name));
const text = (form: FormData, name: string) => String(form.get(name) ?? "").trim();

/** The form's fields as the API's launch input. */
function launchInput(form: FormData) {
  const cweIds = text(form, "cwes")
    .split(/[\s,]+/)
    .filter(Boolean);
  const sources = form.getAll("sources").map(String);
  const inputPrice = text(form, "inputPrice");
  const outputPrice = text(form, "outputPrice");
  const datasetId = text(form, "datasetId");
  const template = (name: string) => text(form, name) || undefined;
  return {
    providerId: text(form, "providerId"),
    model: text(form, "model"),
    temperature: num(form, "temperature"),
    maxTokens: num(form, "maxTokens"),
    n: num(form, "n"),
    complexShare: num(form, "complexShare"),
    seed: num(form, "seed"),
    entries: { ...(cweIds.length ? { cweIds } : {}), ...(sources.length ? { sources } : {}) },
    templates: { generationId: template("generationId"), refinementId: template("refinementId"), reasoningId: template("reasoningId") },
    rounds: num(form, "rounds"),
    budgetUsd: num(form, "budgetUsd"),
    concurrency: num(form, "concurrency"),
    ...(inputPrice !== "" || outputPrice !== "" ? { price: { inputUsdPerMTok: Number(inputPrice || 0), outputUsdPerMTok: Number(outputPrice || 0) } } : {}),
    stripComments: form.get("stripComments") === "on",
    useCodeql: form.get("useCodeql") === "on",
    dataset: datasetId ? { id: datasetId } : { name: text(form, "datasetName") },
    ...(text(form, "name") ? { name: text(form, "name") } : {}),
  };
}

export function DistillLaunchForm() {
  const router = useRouter();
  const options = useQuery({ queryKey: ["distill-options"], queryFn: () => apiJson<Options>("/api/distill/options") });
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const preview = useMutation({ mutationFn: (body: unknown) => apiJson<{ preview: Preview }>("/api/distill/preview", { method: "POST", body }).then((r) => r.preview) });
  const launch = useMutation({
    mutationFn: (body: unknown) => apiJson<{ jobId: string }>("/api/distill", { method: "POST", body }),
    onSuccess: ({ jobId }) => router.push(`/distill/${jobId}`),
  });

  if (options.error) return <p className="error">{(options.error as Error).message}</p>;
  if (!options.data) return <p className="muted">Loading…</p>;
  const o = options.data;
  const byKind = (kind: string) => o.templates.filter((t) => t.kind === kind);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    launch.mutate(launchInput(new FormData(event.currentTarget)));
  }

  return (
    <form className="panel distill-form" onSubmit={onSubmit} ref={setForm} aria-label="Launch a distillation">
      {o.providers.length === 0 && (
        <p className="error">
          No provider yet: <a href="/distill/providers">add an OpenAI-compatible endpoint</a> first.
        </p>
      )}
      <fieldset>
        <legend>Model</legend>
        <div className="run-settings-grid">
          <label className="run-setting">
            Provider
            <select name="providerId" required defaultValue={o.providers[0]?.id}>
              {o.providers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({p.baseUrl})
                </option>
              ))}
            </select>
          </label>
          <label className="run-setting">
            Model
            <input name="model" required defaultValue="gpt-4o-2024-08-06" list="distill-models" />
            <datalist id="distill-models">
              {o.prices.map((p) => (
                <option key={p.model} value={p.model} />
              ))}
            </datalist>
          </label>
          <label className="run-setting">
            Temperature
            <input name="temperature" type="number" step="0.01" min={0} max={2} defaultValue={0.01} />
            <span className="muted run-reason">0.01 as in the paper</span>
          </label>
          <label className="run-setting">
            Max tokens
            <input name="maxTokens" type="number" min={16} max={32768} defaultValue={2048} />
          </label>
          <label className="run-setting">
            Input price (USD / 1M tokens)
            <input name="inputPrice" type="number" step="any" min={0} placeholder="list price" />
          </label>
          <label className="run-setting">
            Output price (USD / 1M tokens)
            <input name="outputPrice" type="number" step="any" min={0} placeholder="list price" />
          </label>
        </div>
      </fieldset>
      <fieldset>
        <legend>Prompts</legend>
        <div className="run-settings-grid">
          <label className="run-setting">
            Prompts (n)
            <input name="n" type="number" min={1} max={100000} defaultValue={200} required />
          </label>
          <label className="run-setting">
            Complex share (issue x package)
            <input name="complexShare" type="number" step="0.05" min={0} max={1} defaultValue={0.5} />
          </label>
          <label className="run-setting">
            Seed
            <input name="seed" type="number" min={0} defaultValue={42} />
          </label>
          <label className="run-setting">
            CWEs (empty = all {o.cwes.length})
            <input name="cwes" placeholder="CWE-78, CWE-89" />
          </label>
          <div className="run-setting">
            Sources
            {o.sources.map((s) => (
              <label key={s.source} className="run-radio">
                <input type="checkbox" name="sources" value={s.source} /> {s.source.toLowerCase()} ({s.entries})
              </label>
            ))}
          </div>
          <label className="run-setting">
            Generation template
            <select name="generationId" defaultValue="">
              <option value="">latest default</option>
              {byKind("GENERATION").map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} v{t.version}
                </option>
              ))}
            </select>
          </label>
          <label className="run-setting">
            Refinement template
            <select name="refinementId" defaultValue="">
              <option value="">latest default</option>
              {byKind("REFINEMENT").map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} v{t.version}
                </option>
              ))}
            </select>
          </label>
          <label className="run-setting">
            Reasoning template
            <select name="reasoningId" defaultValue="">
              <option value="">latest default (released form)</option>
              {byKind("REASONING").map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} v{t.version}
                </option>
              ))}
            </select>
          </label>
        </div>
      </fieldset>
      <fieldset>
        <legend>Refinement, budget and output</legend>
        <div className="run-settings-grid">
          <label className="run-setting">
            Refinement rounds
            <select name="rounds" defaultValue="1">
              {[0, 1, 2, 3].map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
            <span className="muted run-reason">1 as in the paper; more rounds over-engineer the code</span>
          </label>
          <label className="run-setting">
            Budget (USD)
            <input name="budgetUsd" type="number" step="any" min={0.0001} defaultValue={20} required />
          </label>
          <label className="run-setting">
            Concurrency
            <input name="concurrency" type="number" min={1} max={64} defaultValue={4} />
          </label>
          <label className="run-radio">
            <input type="checkbox" name="stripComments" defaultChecked /> Strip code comments
          </label>
          <label className="run-radio">
            <input type="checkbox" name="useCodeql" defaultChecked /> CodeQL too (when installed)
          </label>
          <label className="run-setting">
            Existing dataset
            <select name="datasetId" defaultValue="">
              <option value="">(new dataset)</option>
              {o.datasets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
          <label className="run-setting">
            New dataset name
            <input name="datasetName" placeholder="distilled-gpt-4o" />
          </label>
          <label className="run-setting">
            Job name (optional)
            <input name="name" maxLength={200} />
          </label>
        </div>
      </fieldset>
      <div className="run-actions">
        <button type="button" className="secondary" disabled={!form || preview.isPending} onClick={() => form && preview.mutate(launchInput(new FormData(form)))}>
          Preview coverage and cost
        </button>
        <button type="submit" disabled={launch.isPending || o.providers.length === 0}>
          Launch
        </button>
      </div>
      {(preview.error || launch.error) && (
        <p className="error" role="alert">
          {((launch.error ?? preview.error) as Error).message}
        </p>
      )}
      {preview.data && <PreviewPanel preview={preview.data} />}
    </form>
  );
}

function PreviewPanel({ preview }: { preview: Preview }) {
  const { coverage, estimate } = preview;
  return (
    <section aria-label="Preview" data-testid="distill-preview" className="distill-preview">
      <p>
        <strong data-testid="preview-planned">{preview.planned}</strong> prompts ({preview.simple} simple, {preview.complex} complex) covering{" "}
        <strong data-testid="preview-covered">
          {coverage.cwesCovered} of {coverage.cwesSelected}
        </strong>{" "}
        CWEs.
      </p>
      <p>
        Estimated cost <strong data-testid="preview-cost">${estimate.expectedUsd.toFixed(2)}</strong> (worst case ${estimate.worstCaseUsd.toFixed(2)}) at ${estimate.price.inputUsdPerMTok} / $
        {estimate.price.outputUsdPerMTok} per 1M tokens. {!preview.withinBudget && <span className="error">The estimate is above the budget: the job will stop at the cap.</span>}
      </p>
      <p className="muted">{estimate.assumptions}</p>
      <details>
        <summary>Prompts per CWE</summary>
        <table className="data">
          <thead>
            <tr>
              <th>CWE</th>
              <th>Simple</th>
              <th>Complex</th>
            </tr>
          </thead>
          <tbody>
            {coverage.perCwe.map((row) => (
              <tr key={row.cweId}>
                <td>{row.cweId}</td>
                <td>{row.simple}</td>
                <td>{row.complex}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <details>
        <summary>First prompt</summary>
        <pre className="distill-prompt">{preview.samplePrompt}</pre>
      </details>
    </section>
  );
}
