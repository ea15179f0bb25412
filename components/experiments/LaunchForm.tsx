"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { ZLossConfig, type TPreset } from "@/trainer/src/config";

type Options = {
  models: { id: string; name: string; architecture: string; description: string }[];
  versions: { id: string; label: string }[];
  parentRuns: { id: string; name: string; method: string }[];
};

type FieldIssue = { path: string; message: string };

/** Settings whose values are one of a few words: offered as a select, options from the config schema itself. */
const ENUMS: Record<string, readonly string[]> = {
  "loss.lpoForm": ZLossConfig.shape.lpoForm.options,
  "loss.sftLossOn": ZLossConfig.shape.sftLossOn.options,
  "loss.emptyMask": ZLossConfig.shape.emptyMask.options,
};

const GROUPS: { title: string; prefix: string | null }[] = [
  { title: "LoRA", prefix: "lora." },
  { title: "Optimizer", prefix: "optimizer." },
  { title: "Loss", prefix: "loss." },
  { title: "Batching, length and schedule", prefix: null },
];

function leaves(value: unknown, prefix = ""): [string, unknown][] {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, child]) => leaves(child, prefix ? `${prefix}.${key}` : key));
  }
  return [[prefix, value]];
}

function toText(value: unknown): string {
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
}

/** The form's text back into a config value of the preset's type; unparseable text is sent as is so the server names the field. */
function fromText(path: string, text: string, presetValue: unknown): unknown {
  if (typeof presetValue === "boolean") return text === "true";
  if (typeof presetValue === "number") {
    const trimmed = text.trim();
    return trimmed !== "" && Number.isFinite(Number(trimmed)) ? Number(trimmed) : text;
  }
  if (path === "lora.targetModules") return text.trim() === "all-linear" ? "all-linear" : text.split(",").map((item) => item.trim()).filter(Boolean);
  return text;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[parts[parts.length - 1]!] = value;
}

export function LaunchForm({ presets, reasons, options, initialParentRunId }: { presets: TPreset[]; reasons: Record<string, string>; options: Options; initialParentRunId: string | null }) {
  const router = useRouter();
  const [presetId, setPresetId] = useState(presets.find((preset) => preset.id === "lpo")?.id ?? presets[0]!.id);
  const preset = presets.find((candidate) => candidate.id === presetId)!;
  const presetLeaves = useMemo(() => leaves(preset.config).filter(([path]) => path !== "method" && path !== "preset"), [preset]);
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(presetLeaves.map(([path, value]) => [path, toText(value)])));
  const [source, setSource] = useState<"model" | "parent">(initialParentRunId ? "parent" : "model");
  const [baseModelId, setBaseModelId] = useState(options.models[0]?.id ?? "");
  const [parentRunId, setParentRunId] = useState(initialParentRunId ?? options.parentRuns[0]?.id ?? "");
  const [datasetVersionId, setDatasetVersionId] = useState(options.versions[0]?.id ?? "");
  const [name, setName] = useState("");
  const [tags, setTags] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [busy, setBusy] = useState(false);

  const choosePreset = (id: string) => {
    const next = presets.find((candidate) => candidate.id === id)!;
    setPresetId(id);
    // Settings follow the preset: its defaults are the paper's numbers for that method.
    setValues(Object.fromEntries(leaves(next.config).filter(([path]) => path !== "method" && path !== "preset").map(([path, value]) => [path, toText(value)])));
    setIssues([]);
  };

  const issueFor = (path: string) => issues.filter((issue) => issue.path === path || issue.path.split(", ").includes(path) || issue.path === `overrides.${path}`);

  const field = (path: string, presetValue: unknown) => {
    const id = `setting-${path.replace(/\./g, "-")}`;
    const fieldIssues = issueFor(path);
    const label = path.includes(".") ? path.split(".").slice(1).join(".") : path;
    let input;
    if (typeof presetValue === "boolean") {
      input = <input id={id} type="checkbox" checked={values[path] === "true"} onChange={(event) => setValues({ ...values, [path]: String(event.target.checked) })} />;
    } else if (ENUMS[path]) {
      input = (
        <select id={id} value={values[path]} onChange={(event) => setValues({ ...values, [path]: event.target.value })}>
          {ENUMS[path]!.map((option) => (
            <option key={option}>{option}</option>
          ))}
        </select>
      );
    } else {
      input = <input id={id} value={values[path] ?? ""} onChange={(event) => setValues({ ...values, [path]: event.target.value })} aria-invalid={fieldIssues.length > 0} />;
    }
    return (
      <div key={path} className="run-setting" data-setting={path}>
        <label htmlFor={id}>{label}</label>
        {input}
        {reasons[path] && <div className="muted run-reason">{reasons[path]}</div>}
        {fieldIssues.map((issue) => (
          <div key={issue.message} className="error" role="alert" data-field-error={path}>
            {issue.message}
          </div>
        ))}
      </div>
    );
  };

  const overrides = () => {
    const out: Record<string, unknown> = {};
    for (const [path, presetValue] of presetLeaves) {
      const value = fromText(path, values[path] ?? "", presetValue);
      if (JSON.stringify(value) !== JSON.stringify(presetValue)) setPath(out, path, value);
    }
    return out;
  };

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setIssues([]);
    try {
      const response = await fetch("/api/runs", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          presetId,
          datasetVersionId,
          ...(source === "model" ? { baseModelId } : { parentRunId }),
          ...(name.trim() ? { name: name.trim() } : {}),
          tags: tags.split(",").map((tag) => tag.trim()).filter(Boolean),
          overrides: overrides(),
        }),
      });
      const payload = (await response.json().catch(() => ({}))) as { error?: string; details?: FieldIssue[]; run?: { id: string } };
      if (!response.ok || !payload.run) {
        setError(payload.error ?? `launch failed (${response.status})`);
        setIssues(payload.details ?? []);
        return;
      }
      router.push(`/experiments/${payload.run.id}`);
    } finally {
      setBusy(false);
    }
  };

  const topIssue = (path: string) =>
    issueFor(path).map((issue) => (
      <div key={issue.message} className="error" role="alert" data-field-error={path}>
        {issue.message}
      </div>
    ));

  return (
    <form className="stack panel run-launch" data-testid="launch-form" onSubmit={submit}>
      <label>
        Method and preset
        <select value={presetId} onChange={(event) => choosePreset(event.target.value)}>
          {presets.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.label} ({candidate.config.method})
            </option>
          ))}
        </select>
      </label>
      <p className="muted" data-testid="preset-description">
        {preset.description}
        {preset.requiresParentRun && " Normally trained on top of an SFT run (choose it as the parent run); from a base model it runs without the SFT stage."}
      </p>
      {topIssue("presetId")}
      <label>
        Dataset version
        <select value={datasetVersionId} onChange={(event) => setDatasetVersionId(event.target.value)}>
          {options.versions.length === 0 && <option value="">no frozen versions yet</option>}
          {options.versions.map((version) => (
            <option key={version.id} value={version.id}>
              {version.label}
            </option>
          ))}
        </select>
      </label>
      {topIssue("datasetVersionId")}
      <fieldset className="run-source">
        <legend className="muted">Start from</legend>
        <label className="run-radio">
          <input type="radio" name="source" checked={source === "model"} onChange={() => setSource("model")} /> a base model
        </label>
        <label className="run-radio">
          <input type="radio" name="source" checked={source === "parent"} onChange={() => setSource("parent")} disabled={options.parentRuns.length === 0} /> a finished run (its adapter
          is merged into the base, SFT → LPO)
        </label>
        {source === "model" ? (
          <label>
            Base model
            <select value={baseModelId} onChange={(event) => setBaseModelId(event.target.value)}>
              {options.models.map((model) => (
                <option key={model.id} value={model.id}>
                  {model.name} ({model.architecture})
                </option>
              ))}
            </select>
          </label>
        ) : (
          <label>
            Parent run
            <select value={parentRunId} onChange={(event) => setParentRunId(event.target.value)}>
              {options.parentRuns.map((run) => (
                <option key={run.id} value={run.id}>
                  {run.name} ({run.method})
                </option>
              ))}
            </select>
          </label>
        )}
        {topIssue("baseModelId")}
        {topIssue("parentRunId")}
      </fieldset>
      <div className="run-row">
        <label>
          Run name (optional)
          <input value={name} onChange={(event) => setName(event.target.value)} placeholder="preset · model · dataset" />
        </label>
        <label>
          Tags (comma-separated)
          <input value={tags} onChange={(event) => setTags(event.target.value)} />
        </label>
      </div>
      {GROUPS.map((group) => {
        const fields = presetLeaves.filter(([path]) => (group.prefix ? path.startsWith(group.prefix) : !path.includes(".")));
        return (
          <fieldset key={group.title} className="run-settings">
            <legend>{group.title}</legend>
            <div className="run-settings-grid">{fields.map(([path, value]) => field(path, value))}</div>
          </fieldset>
        );
      })}
      {error && (
        <p className="error" role="alert" data-testid="launch-error">
          {error}
        </p>
      )}
      <div>
        <button type="submit" disabled={busy || !datasetVersionId}>
          {busy ? "Launching…" : "Launch run"}
        </button>
      </div>
    </form>
  );
}
