// Adapters on disk in PEFT's layout, so a run's adapter loads in Python with `PeftModel.from_pretrained(base, dir)`:
//   adapter_config.json       peft_type "LORA", r, lora_alpha, lora_dropout, target_modules, task_type "CAUSAL_LM", ...
//   adapter_model.safetensors base_model.model.<module path>.lora_A.weight [r, in] and .lora_B.weight [out, r], float32
// (PEFT strips the adapter name "default" from the keys when saving, and adds it back when loading.)
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { attachedAdapters, resolvedTargetNames, variableFrom } from "./attach";
import type { TLoraConfig } from "./types";
import type { ICausalLM } from "../models/types";
import { readSafetensors, writeSafetensors, type TNamedArray, type TWritableTensor } from "../safetensors";
import { tf } from "../tf";

export const ADAPTER_CONFIG_FILE = "adapter_config.json";
export const ADAPTER_WEIGHTS_FILE = "adapter_model.safetensors";
const PEFT_PREFIX = "base_model.model.";

/** The fields we read back; PEFT writes (and we write) more, which pass through untouched. */
export const ZAdapterConfig = z
  .object({
    peft_type: z.literal("LORA"),
    task_type: z.string().optional(),
    r: z.number().int().positive(),
    lora_alpha: z.number().positive(),
    lora_dropout: z.number().min(0).max(1).default(0),
    target_modules: z.union([z.string(), z.array(z.string())]),
    base_model_name_or_path: z.string().nullable().optional(),
    bias: z.string().optional(),
    use_rslora: z.boolean().optional(),
    use_dora: z.boolean().optional(),
  })
  .passthrough();
export type TAdapterConfig = z.infer<typeof ZAdapterConfig>;

export function peftTensorName(modulePath: string, which: "A" | "B"): string {
  return `${PEFT_PREFIX}${modulePath}.lora_${which}.weight`;
}

/** adapter_config.json for the adapters attached to `model`, in the fields and spelling PEFT 0.13 writes. */
export function buildAdapterConfig(model: ICausalLM, lora: TLoraConfig, baseModelNameOrPath: string | null): Record<string, unknown> {
  const adapters = attachedAdapters(model);
  const linears = model.linears();
  const targets = resolvedTargetNames([...adapters.keys()].map((p) => linears.get(p)!));
  return {
    alpha_pattern: {},
    auto_mapping: null,
    base_model_name_or_path: baseModelNameOrPath,
    bias: "none",
    // GPT-2 stores its projections as Conv1D ([in, out]); PEFT marks that layout with fan_in_fan_out.
    fan_in_fan_out: model.architecture === "gpt2",
    inference_mode: true,
    init_lora_weights: true,
    layer_replication: null,
    layers_pattern: null,
    layers_to_transform: null,
    loftq_config: {},
    lora_alpha: lora.alpha,
    lora_dropout: lora.dropout,
    megatron_config: null,
    megatron_core: "megatron.core",
    modules_to_save: null,
    peft_type: "LORA",
    r: lora.r,
    rank_pattern: {},
    revision: null,
    target_modules: targets,
    task_type: "CAUSAL_LM",
    use_dora: false,
    use_rslora: false,
  };
}

/** The attached adapters' tensors under PEFT's names, read from the device (float32). */
export function adapterTensors(model: ICausalLM): Map<string, TWritableTensor> {
  const tensors = new Map<string, TWritableTensor>();
  for (const [modulePath, lora] of attachedAdapters(model)) {
    tensors.set(peftTensorName(modulePath, "A"), { shape: lora.a.shape, data: lora.a.dataSync() as Float32Array, dtype: "F32" });
    tensors.set(peftTensorName(modulePath, "B"), { shape: lora.b.shape, data: lora.b.dataSync() as Float32Array, dtype: "F32" });
  }
  return tensors;
}

/** Writes the attached adapters to `dir` in PEFT's layout; returns the bytes written. */
export function saveAdapter(dir: string, model: ICausalLM, lora: TLoraConfig, baseModelNameOrPath: string | null): number {
  const adapters = attachedAdapters(model);
  if (adapters.size === 0) throw new Error("saveAdapter: the model has no LoRA adapters attached");
  fs.mkdirSync(dir, { recursive: true });
  const configFile = path.join(dir, ADAPTER_CONFIG_FILE);
  fs.writeFileSync(configFile, JSON.stringify(buildAdapterConfig(model, lora, baseModelNameOrPath), null, 2) + "\n");
  const weightsFile = path.join(dir, ADAPTER_WEIGHTS_FILE);
  writeSafetensors(weightsFile, adapterTensors(model), { format: "pt" });
  return fs.statSync(configFile).size + fs.statSync(weightsFile).size;
}

export function readAdapterConfig(dir: string): TAdapterConfig {
  const file = path.join(dir, ADAPTER_CONFIG_FILE);
  if (!fs.existsSync(file)) throw new Error(`${dir}: no ${ADAPTER_CONFIG_FILE} (not a PEFT adapter directory)`);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = ZAdapterConfig.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join(".") || "config"}: ${issue.message} (only LoRA adapters are supported)`);
  }
  if (parsed.data.use_dora) throw new Error(`${file}: DoRA adapters are not supported`);
  return parsed.data;
}

/** The LoRA scale alpha / r (alpha / sqrt(r) for rsLoRA), as PEFT computes it. */
export function adapterScale(config: TAdapterConfig): number {
  return config.use_rslora ? config.lora_alpha / Math.sqrt(config.r) : config.lora_alpha / config.r;
}

/**
 * Attaches the adapter saved in `dir` to `model` (which must carry no adapters on those modules) and returns the
 * number of modules adapted. Every tensor must name a linear of the model with matching shapes; PEFT keys with the
 * adapter name ("...lora_A.default.weight") are accepted too.
 */
export function loadAdapter(dir: string, model: ICausalLM, options: { trainable?: boolean } = {}): { config: TAdapterConfig; modules: number } {
  const config = readAdapterConfig(dir);
  const file = path.join(dir, ADAPTER_WEIGHTS_FILE);
  if (!fs.existsSync(file)) throw new Error(`${dir}: no ${ADAPTER_WEIGHTS_FILE}`);
  const { tensors } = readSafetensors(file);
  const byModule = new Map<string, { a?: TNamedArray; b?: TNamedArray }>();
  for (const [name, tensor] of tensors) {
    const match = /^base_model\.model\.(.+)\.lora_([AB])(?:\.[^.]+)?\.weight$/.exec(name);
    if (!match) throw new Error(`${file}: tensor "${name}" is not a LoRA weight (expected base_model.model.<module>.lora_A.weight)`);
    const entry = byModule.get(match[1]!) ?? {};
    if (match[2] === "A") entry.a = tensor;
    else entry.b = tensor;
    byModule.set(match[1]!, entry);
  }
  const linears = model.linears();
  const scale = adapterScale(config);
  // Validate everything before touching the model, so a bad file leaves it unchanged.
  for (const [modulePath, { a, b }] of byModule) {
    const linear = linears.get(modulePath);
    if (!linear) throw new Error(`${file}: module "${modulePath}" is not a linear layer of this model`);
    if (linear.lora) throw new Error(`${file}: module "${modulePath}" already has an adapter`);
    if (!a || !b) throw new Error(`${file}: module "${modulePath}" lacks its lora_${a ? "B" : "A"} weight`);
    const [r, inA] = a.shape;
    if (a.shape.length !== 2 || r !== config.r || inA !== linear.inFeatures) {
      throw new Error(`${file}: ${modulePath}.lora_A has shape [${a.shape}], expected [${config.r},${linear.inFeatures}]`);
    }
    if (b.shape.length !== 2 || b.shape[0] !== linear.outFeatures || b.shape[1] !== config.r) {
      throw new Error(`${file}: ${modulePath}.lora_B has shape [${b.shape}], expected [${linear.outFeatures},${config.r}]`);
    }
  }
  const trainable = options.trainable ?? false;
  for (const [modulePath, { a, b }] of byModule) {
    const linear = linears.get(modulePath)!;
    linear.lora = {
      a: variableFrom(tf.tensor(a!.data as Float32Array, a!.shape, "float32"), trainable),
      b: variableFrom(tf.tensor(b!.data as Float32Array, b!.shape, "float32"), trainable),
      scale,
      dropout: config.lora_dropout,
    };
  }
  return { config, modules: byModule.size };
}
