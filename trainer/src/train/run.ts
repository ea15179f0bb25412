// A whole training run from directories on disk: choose the backend, load the base model, merge the parent run's
// adapter (SFT -> LPO), attach a fresh LoRA, resume from the run's latest checkpoint when asked, train, and free the
// model. The loop itself is loop.ts; this file only wires the pieces a run is made of.
import path from "node:path";
import type { TBackendName } from "../backends";
import { ZTrainConfig, type TTrainConfig } from "../config";
import { detachLora, mergeLora } from "../lora/attach";
import { loadAdapter } from "../lora/peft";
import { loadCausalLM } from "../models/load";
import type { ICausalLM } from "../models/types";
import { initBackend } from "../tf";
import { findLatestCheckpoint } from "./checkpoint";
import { trainLoop, type TCheckpointInfo, type TTrainingHooks } from "./loop";
import type { TExample } from "./methods";

export type TRunExamplesOptions = {
  runDir: string;
  baseModelDir: string;
  /** A finished run's adapter (PEFT layout) merged into the base before the fresh LoRA is attached (SFT -> LPO). */
  parentAdapterDir?: string;
  config: TTrainConfig;
  train: readonly TExample[];
  val: readonly TExample[];
  /**
   * true: continue from the run's latest checkpoint under `<runDir>/checkpoints` (a fresh start when there is none);
   * an object names the checkpoint folder explicitly.
   */
  resume?: boolean | { checkpointDir: string; step?: number };
  preferredBackend?: TBackendName;
  hooks: TTrainingHooks;
};

export type TRunTrainingResult = {
  status: "succeeded" | "cancelled";
  /** Optimizer steps completed. */
  steps: number;
  totalSteps: number;
  /** The backend the run computed on (recorded with the run). */
  backend: TBackendName;
  /** The last checkpoint written (the final adapter when succeeded), or null when none was. */
  checkpoint: TCheckpointInfo | null;
};

/** The padding id: the config's pad token, else its EOS, else 0 (padded positions are masked out either way). */
export function padTokenIdOf(model: ICausalLM): number {
  for (const key of ["pad_token_id", "eos_token_id"]) {
    const value = model.config[key];
    if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value < model.vocabSize) return value;
    if (Array.isArray(value) && typeof value[0] === "number") return value[0];
  }
  return 0;
}

/** Every token id must index the model's vocabulary: a mismatched tokenizer is a clear error, not garbage logits. */
export function assertIdsInVocab(examples: readonly TExample[], vocabSize: number, where: string): void {
  for (const example of examples) {
    const sequences = "responseIds" in example ? [example.promptIds, example.responseIds] : [example.promptIds, example.chosenIds, example.rejectedIds];
    for (const ids of sequences) {
      for (const id of ids) {
        if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
          throw new Error(`${where}: example ${example.id} has token id ${id} outside the model's vocabulary (size ${vocabSize}); is the tokenizer the model's own?`);
        }
      }
    }
  }
}

export async function runOnExamples(options: TRunExamplesOptions): Promise<TRunTrainingResult> {
  const config = ZTrainConfig.parse(options.config);
  const backend = await initBackend(options.preferredBackend);
  const log = async (message: string) => {
    await options.hooks.onLog?.("info", message);
  };
  await log(`backend ${backend}`);
  let resumeFrom: string | undefined;
  if (options.resume === true) resumeFrom = findLatestCheckpoint(options.runDir)?.path;
  else if (options.resume) resumeFrom = options.resume.checkpointDir;

  const model = loadCausalLM(options.baseModelDir);
  try {
    await log(`loaded ${model.architecture} from ${options.baseModelDir} (vocabulary ${model.vocabSize})`);
    assertIdsInVocab(options.train, model.vocabSize, "train");
    assertIdsInVocab(options.val, model.vocabSize, "val");
    if (options.parentAdapterDir) {
      const { modules } = loadAdapter(options.parentAdapterDir, model);
      mergeLora(model);
      await log(`merged the parent adapter from ${options.parentAdapterDir} (${modules} modules)`);
    }
    const result = await trainLoop({
      model,
      runDir: options.runDir,
      config,
      train: options.train,
      val: options.val,
      padTokenId: padTokenIdOf(model),
      backend,
      baseModel: path.resolve(options.baseModelDir),
      parentAdapter: options.parentAdapterDir ? path.resolve(options.parentAdapterDir) : null,
      resumeFrom,
      hooks: options.hooks,
    });
    return { status: result.status, steps: result.steps, totalSteps: result.totalSteps, backend, checkpoint: result.finalCheckpoint };
  } finally {
    detachLora(model); // the model's own dispose frees only its base weights
    model.dispose();
  }
}
