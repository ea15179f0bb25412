// Attaching, detaching and merging LoRA adapters on a model's linear projections (ILinear.lora). Target modules are
// chosen as PEFT chooses them: by the last segment of the module path, or "all-linear" = every linear except the
// output head. A is initialised as PEFT does (kaiming_uniform with a = sqrt(5), i.e. U(-1/sqrt(in), 1/sqrt(in))),
// seeded so runs repeat; B is zero, so a fresh adapter leaves the model's outputs unchanged.
import type { TLoraConfig } from "./types";
import type { ICausalLM, ILinear, TLoraWeights } from "../models/types";
import { tf } from "../tf";

/** Output heads PEFT's "all-linear" leaves out (they map to the vocabulary and are usually tied to embeddings). */
const OUTPUT_HEADS = new Set(["lm_head", "embed_out", "output"]);

export function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf(".") + 1);
}

/** The linears a LoRA config targets, in module-path order. Unknown target names are an error, not a silent no-op. */
export function selectTargets(model: ICausalLM, targetModules: TLoraConfig["targetModules"]): ILinear[] {
  const linears = [...model.linears().values()].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  if (targetModules === "all-linear") return linears.filter((linear) => !OUTPUT_HEADS.has(lastSegment(linear.path)));
  const wanted = new Set(targetModules);
  const chosen = linears.filter((linear) => wanted.has(lastSegment(linear.path)));
  const found = new Set(chosen.map((linear) => lastSegment(linear.path)));
  const missing = [...wanted].filter((name) => !found.has(name));
  if (missing.length > 0) {
    const available = [...new Set(linears.map((linear) => lastSegment(linear.path)))].join(", ");
    throw new Error(`LoRA target modules not found in the model: ${missing.join(", ")} (available: ${available})`);
  }
  return chosen;
}

/** The module names (last path segments) of the chosen linears, as PEFT writes them in adapter_config.json. */
export function resolvedTargetNames(targets: ILinear[]): string[] {
  return [...new Set(targets.map((linear) => lastSegment(linear.path)))].sort();
}

/** Seeds for each adapter's A come from the run seed and the module's index, so adding a module never reshuffles others. */
function moduleSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 2654435761) + index * 7919) >>> 0;
}

/**
 * Attaches a fresh adapter to every targeted linear and returns them by module path. The base weights are frozen
 * (trainable = false) so only A and B receive gradients. A model that already carries adapters is refused: merge or
 * detach them first.
 */
export function attachLora(model: ICausalLM, config: TLoraConfig, seed: number): Map<string, TLoraWeights> {
  const targets = selectTargets(model, config.targetModules);
  if (targets.length === 0) throw new Error("LoRA: the model has no linear layers to adapt");
  freezeBase(model);
  const attached = new Map<string, TLoraWeights>();
  targets.forEach((linear, index) => {
    if (linear.lora) throw new Error(`LoRA: ${linear.path} already has an adapter (merge or detach it first)`);
    const bound = 1 / Math.sqrt(linear.inFeatures);
    const a = variableFrom(tf.randomUniform([config.r, linear.inFeatures], -bound, bound, "float32", moduleSeed(seed, index)), true);
    const b = variableFrom(tf.zeros([linear.outFeatures, config.r]), true);
    linear.lora = { a, b, scale: config.alpha / config.r, dropout: config.dropout };
    attached.set(linear.path, linear.lora);
  });
  return attached;
}

/**
 * A variable holding `initial`'s values; `initial` is disposed. Variables stay unnamed: tfjs names must be unique per
 * process, and two models (a run and its resumed twin, in tests) may hold adapters on the same module paths.
 */
export function variableFrom(initial: tf.Tensor, trainable: boolean): tf.Variable {
  const variable = tf.variable(initial, trainable);
  initial.dispose();
  return variable;
}

/** Every base weight stays frozen while adapters train. */
export function freezeBase(model: ICausalLM): void {
  for (const weight of model.namedWeights().values()) weight.trainable = false;
  for (const linear of model.linears().values()) {
    linear.weight.trainable = false;
    if (linear.bias) linear.bias.trainable = false;
  }
}

/** The adapters currently attached, by module path. */
export function attachedAdapters(model: ICausalLM): Map<string, TLoraWeights> {
  const found = new Map<string, TLoraWeights>();
  for (const [path, linear] of model.linears()) if (linear.lora) found.set(path, linear.lora);
  return found;
}

/** The trainable LoRA variables by PEFT-style name (`<path>.lora_A.weight`), in a stable order. */
export function loraVariables(model: ICausalLM): Map<string, tf.Variable> {
  const variables = new Map<string, tf.Variable>();
  for (const [path, lora] of [...attachedAdapters(model)].sort(([x], [y]) => (x < y ? -1 : 1))) {
    variables.set(`${path}.lora_A.weight`, lora.a);
    variables.set(`${path}.lora_B.weight`, lora.b);
  }
  return variables;
}

/**
 * Runs `fn` with every adapter taken off (the base model alone), then puts them back. With a frozen base this is the
 * reference model DPO needs, without keeping a second copy of the weights.
 */
export function withAdaptersDisabled<T>(model: ICausalLM, fn: () => T): T {
  const saved = attachedAdapters(model);
  const linears = model.linears();
  for (const path of saved.keys()) linears.get(path)!.lora = null;
  try {
    return fn();
  } finally {
    for (const [path, lora] of saved) linears.get(path)!.lora = lora;
  }
}

/** Removes and disposes every adapter, leaving the base model as it was. */
export function detachLora(model: ICausalLM): void {
  for (const linear of model.linears().values()) {
    if (!linear.lora) continue;
    linear.lora.a.dispose();
    linear.lora.b.dispose();
    linear.lora = null;
  }
}

/**
 * Folds every attached adapter into its base weight (W += scale * B A, W in Hugging Face's [out, in] layout) and
 * removes it, so the model computes exactly what the adapted model computed (without dropout) at the cost of a plain
 * linear. The SFT -> LPO pipeline merges the SFT adapter this way before attaching a fresh one.
 */
export function mergeLora(model: ICausalLM): number {
  let merged = 0;
  for (const linear of model.linears().values()) {
    const lora = linear.lora;
    if (!lora) continue;
    tf.tidy(() => {
      const delta = tf.matMul(lora.b, lora.a).mul(lora.scale);
      linear.weight.assign(linear.weight.add(delta));
    });
    lora.a.dispose();
    lora.b.dispose();
    linear.lora = null;
    merged += 1;
  }
  return merged;
}
