// A run's config is its preset's config with the caller's overrides merged on top, then validated as a whole by
// ZTrainConfig: unknown keys, wrong types and out-of-range values are reported per field ("loss.beta", "lora.r").
// The same functions serve the launch form (a nested object) and the CLI (`--set loss.beta=10`).
import { z } from "zod";
import { getPreset, PRESETS, SETTING_REASONS, ZTrainConfig, type TPreset, type TTrainConfig } from "../../trainer/src/config";
import { TrainingError, type TFieldIssue } from "./errors";

export type TConfigOverrides = Record<string, unknown>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Deep merge of plain objects; arrays and scalars in `overrides` replace the preset's value. */
export function mergeOverrides(base: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    out[key] = isPlainObject(value) && isPlainObject(base[key]) ? mergeOverrides(base[key] as Record<string, unknown>, value) : value;
  }
  return out;
}

export function findPreset(id: string): TPreset {
  try {
    return getPreset(id);
  } catch (error) {
    throw new TrainingError((error as Error).message, 400, [{ path: "presetId", message: (error as Error).message }]);
  }
}

function issuesOf(error: z.ZodError): TFieldIssue[] {
  return error.issues.map((issue) => {
    const base = issue.path.join(".");
    // zod names unknown keys in `keys`, not in the path: point at each unknown key itself.
    if (issue.code === "unrecognized_keys") {
      return { path: issue.keys.map((key) => (base ? `${base}.${key}` : key)).join(", "), message: `unknown setting${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((key) => `"${base ? `${base}.${key}` : key}"`).join(", ")}` };
    }
    return { path: base || "(config)", message: issue.message };
  });
}

/** The preset's config with the overrides applied; throws a TrainingError listing every bad field. */
export function resolveConfig(presetId: string, overrides: TConfigOverrides = {}): TTrainConfig {
  const preset = findPreset(presetId);
  for (const key of ["method", "preset"] as const) {
    if (key in overrides && overrides[key] !== preset.config[key]) {
      const message = `"${key}" comes from the preset (${preset.id} is ${preset.config[key]}); choose another preset instead of overriding it`;
      throw new TrainingError(message, 400, [{ path: key, message }]);
    }
  }
  const merged = mergeOverrides(preset.config as unknown as Record<string, unknown>, overrides);
  const parsed = ZTrainConfig.safeParse(merged);
  if (!parsed.success) {
    const details = issuesOf(parsed.error);
    throw new TrainingError(`invalid config: ${details.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`, 400, details);
  }
  return parsed.data;
}

/** The default preset of a method (the first listed with it), for `disco train --method sft` without --preset. */
export function defaultPresetFor(method: string): TPreset {
  const preset = PRESETS.find((candidate) => candidate.config.method === method);
  if (!preset) throw new TrainingError(`unknown method "${method}": expected one of ${[...new Set(PRESETS.map((p) => p.config.method))].join(", ")}`);
  return preset;
}

/** Every leaf setting of a config as "a.b" paths (what --set and the form's fields address). */
export function settingPaths(config: TTrainConfig = PRESETS[0]!.config): string[] {
  const out: string[] = [];
  const walk = (value: unknown, prefix: string) => {
    if (isPlainObject(value)) for (const [key, child] of Object.entries(value)) walk(child, prefix ? `${prefix}.${key}` : key);
    else out.push(prefix);
  };
  walk(config, "");
  return out.filter((path) => path !== "method" && path !== "preset");
}

/**
 * `--set key=value` pairs into a nested overrides object. Values are parsed as JSON when they are JSON (numbers,
 * booleans, arrays), else kept as strings; a comma list is an array for lora.targetModules. Unknown keys fail here,
 * naming the known ones, before anything reaches the database.
 */
export function parseSetArgs(pairs: readonly string[]): TConfigOverrides {
  const known = new Set(settingPaths());
  const overrides: TConfigOverrides = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new TrainingError(`--set expects key=value, got "${pair}"`);
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    if (!known.has(key)) throw new TrainingError(`--set: unknown setting "${key}" (known: ${[...known].join(", ")})`, 400, [{ path: key, message: "unknown setting" }]);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      if (key === "lora.targetModules" && raw !== "all-linear") value = raw.split(",").map((item) => item.trim()).filter(Boolean);
    }
    const parts = key.split(".");
    let target = overrides;
    for (const part of parts.slice(0, -1)) {
      if (!isPlainObject(target[part])) target[part] = {};
      target = target[part] as TConfigOverrides;
    }
    target[parts[parts.length - 1]!] = value;
  }
  return overrides;
}

export { SETTING_REASONS };
