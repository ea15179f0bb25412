// Checkpoints that describe themselves (nanoGPT's habit): `<runDir>/checkpoints/step-<N>/` holds
//   adapter_config.json + adapter_model.safetensors   the LoRA adapter in PEFT's layout (loads in PEFT as is)
//   optimizer.safetensors                              AdamW's moments, "m.<param>" and "v.<param>" (float32)
//   trainer_state.json                                 step, config, data position, RNG seed, pending metric window
// A checkpoint is written into a temporary folder and renamed into place, so a killed worker never leaves a half
// checkpoint that resume would pick up.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { ZTrainConfig, type TTrainConfig } from "../config";
import { ZDataPosition } from "../data/types";
import { loraVariables } from "../lora/attach";
import { saveAdapter } from "../lora/peft";
import type { ICausalLM } from "../models/types";
import { readSafetensors, writeSafetensors, type TWritableTensor } from "../safetensors";
import { tf } from "../tf";
import type { AdamW } from "./adamw";

export const OPTIMIZER_FILE = "optimizer.safetensors";
export const STATE_FILE = "trainer_state.json";

/** Sums of the metrics since the last logged step, so a window cut by a checkpoint continues after resume. */
export const ZMetricWindow = z
  .object({
    steps: z.number().int().min(0),
    sums: z.record(z.string(), z.number()),
    tokens: z.number().min(0),
    seconds: z.number().min(0),
  })
  .strict();
export type TMetricWindow = z.infer<typeof ZMetricWindow>;

export const ZTrainerState = z
  .object({
    version: z.literal(1),
    /** Optimizer steps completed; the next step is step + 1. Metric points carry step numbers 1..totalSteps. */
    step: z.number().int().min(0),
    totalSteps: z.number().int().min(1),
    /** The next example to read: number `index` of epoch `epoch`'s shuffled order. */
    position: ZDataPosition,
    /** Every random choice (data order, dropout masks, LoRA init) derives from this seed and the step, so it is the whole RNG state. */
    rng: z.object({ seed: z.number().int() }).strict(),
    config: ZTrainConfig,
    window: ZMetricWindow,
    backend: z.string(),
    baseModel: z.string().nullable(),
    parentAdapter: z.string().nullable(),
    savedAt: z.string(),
  })
  .strict();
export type TTrainerState = z.infer<typeof ZTrainerState>;

export function checkpointsDir(runDir: string): string {
  return path.join(runDir, "checkpoints");
}

export function checkpointDir(runDir: string, step: number): string {
  return path.join(checkpointsDir(runDir), `step-${step}`);
}

function dirSize(dir: string): number {
  return fs.readdirSync(dir).reduce((total, file) => total + fs.statSync(path.join(dir, file)).size, 0);
}

/** Writes a checkpoint for `state.step`; returns its folder and size. An existing checkpoint of that step is replaced. */
export function saveCheckpoint(
  runDir: string,
  model: ICausalLM,
  optimizer: AdamW,
  state: TTrainerState,
): { path: string; sizeBytes: number } {
  const finalDir = checkpointDir(runDir, state.step);
  const tmpDir = `${finalDir}.tmp-${process.pid}`;
  fs.rmSync(tmpDir, { recursive: true, force: true });
  fs.mkdirSync(tmpDir, { recursive: true });
  saveAdapter(tmpDir, model, state.config.lora, state.baseModel);
  const moments = new Map<string, TWritableTensor>();
  const { m, v } = optimizer.state();
  for (const [name, variable] of m) moments.set(`m.${name}`, { shape: variable.shape, data: variable.dataSync() as Float32Array, dtype: "F32" });
  for (const [name, variable] of v) moments.set(`v.${name}`, { shape: variable.shape, data: variable.dataSync() as Float32Array, dtype: "F32" });
  writeSafetensors(path.join(tmpDir, OPTIMIZER_FILE), moments, { format: "pt", step: String(optimizer.step) });
  fs.writeFileSync(path.join(tmpDir, STATE_FILE), JSON.stringify(ZTrainerState.parse(state), null, 2) + "\n");
  fs.rmSync(finalDir, { recursive: true, force: true });
  fs.renameSync(tmpDir, finalDir);
  return { path: finalDir, sizeBytes: dirSize(finalDir) };
}

/** The completed checkpoint with the highest step, or null when the run has none. */
export function findLatestCheckpoint(runDir: string): { step: number; path: string } | null {
  const dir = checkpointsDir(runDir);
  if (!fs.existsSync(dir)) return null;
  let best: { step: number; path: string } | null = null;
  for (const entry of fs.readdirSync(dir)) {
    const match = /^step-(\d+)$/.exec(entry);
    if (!match) continue; // temporary folders of an interrupted write
    const full = path.join(dir, entry);
    if (!fs.existsSync(path.join(full, STATE_FILE))) continue;
    const step = Number(match[1]);
    if (!best || step > best.step) best = { step, path: full };
  }
  return best;
}

export function readTrainerState(dir: string): TTrainerState {
  const file = path.join(dir, STATE_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${file}: unreadable trainer state (${(err as Error).message})`);
  }
  const parsed = ZTrainerState.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join(".") || "state"}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Restores a checkpoint into a model whose fresh adapters are already attached (same config) and into its optimizer:
 * adapter weights and moments are assigned in place, so the variables the loop holds stay the same objects.
 */
export function restoreCheckpoint(dir: string, model: ICausalLM, optimizer: AdamW): TTrainerState {
  const state = readTrainerState(dir);
  const adapter = readSafetensors(path.join(dir, "adapter_model.safetensors")).tensors;
  const variables = loraVariables(model);
  for (const [name, variable] of variables) {
    const saved = adapter.get(`base_model.model.${name}`);
    if (!saved) throw new Error(`${dir}: the checkpoint has no ${name} (was it written with other LoRA target modules?)`);
    if (saved.shape.join("x") !== variable.shape.join("x")) {
      throw new Error(`${dir}: ${name} has shape [${saved.shape}], the model's adapter [${variable.shape}]`);
    }
    tf.tidy(() => variable.assign(tf.tensor(saved.data as Float32Array, saved.shape, "float32")));
  }
  if (adapter.size !== variables.size) throw new Error(`${dir}: the checkpoint holds ${adapter.size} adapter tensors, the model ${variables.size}`);
  const { tensors, metadata } = readSafetensors(path.join(dir, OPTIMIZER_FILE));
  const m = new Map<string, tf.Tensor>();
  const v = new Map<string, tf.Tensor>();
  for (const [name, tensor] of tensors) {
    const target = name.startsWith("m.") ? m : name.startsWith("v.") ? v : null;
    if (!target) throw new Error(`${dir}/${OPTIMIZER_FILE}: unexpected tensor "${name}"`);
    target.set(name.slice(2), tf.tensor(tensor.data as Float32Array, tensor.shape, "float32"));
  }
  try {
    const step = Number(metadata.step ?? state.step);
    optimizer.restore(step, m, v);
  } finally {
    tf.dispose([...m.values(), ...v.values()]);
  }
  return state;
}

/** JSON with object keys sorted, so two equal configs compare equal whatever order their keys were written in. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The config fields that may differ on resume: reporting cadence only, never what or how the run learns. */
const CADENCE_FIELDS = ["logEvery", "evalEvery", "checkpointEvery"] as const;

/** Refuses to resume a run under a different config (the schedule, data order and losses would silently change). */
export function assertResumableConfig(saved: TTrainConfig, requested: TTrainConfig, dir: string): void {
  const strip = (config: TTrainConfig) => {
    const copy: Record<string, unknown> = { ...config };
    for (const field of CADENCE_FIELDS) delete copy[field];
    return stableJson(copy);
  };
  if (strip(saved) !== strip(requested)) {
    throw new Error(`${dir}: the checkpoint was written under a different training config; resume with the run's own config`);
  }
}
