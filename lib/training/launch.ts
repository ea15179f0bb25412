// Launching a training run: validate everything a worker would otherwise trip over hours later (preset, overrides,
// dataset version with training items, base model or a finished parent run), write the run as QUEUED with its full
// config, and queue a `train.run` job that any worker subscribed to the `train` queue picks up.
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import type { TTrainConfig } from "../../trainer/src/config";
import { findPreset, resolveConfig } from "./config-overrides";
import { TrainingError } from "./errors";
import { enqueueTrainJob, scheduleTrainWatchdog } from "./queue";

export { enqueueTrainJob } from "./queue";

export const ZLaunchRunInput = z
  .object({
    presetId: z.string().trim().min(1, "choose a preset"),
    datasetVersionId: z.uuid({ message: "dataset version id must be a UUID" }),
    baseModelId: z.uuid({ message: "base model id must be a UUID" }).nullish(),
    parentRunId: z.uuid({ message: "parent run id must be a UUID" }).nullish(),
    name: z.string().trim().max(200).optional(),
    tags: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
    /** Nested partial config merged onto the preset's (e.g. { loss: { beta: 5 }, lora: { r: 8 } }). */
    overrides: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type TLaunchRunInput = z.input<typeof ZLaunchRunInput>;

export type TLaunchedRun = { id: string; name: string; status: string; config: TTrainConfig; jobId: string; warnings: string[] };

const METHOD_ENUM = { sft: "SFT", dpo: "DPO", simpo: "SIMPO", lpo: "LPO", safecoder: "SAFECODER" } as const;

export function methodToEnum(method: TTrainConfig["method"]) {
  return METHOD_ENUM[method];
}

export async function launchRun(db: Db, rawInput: TLaunchRunInput, options: { createdById: string | null }): Promise<TLaunchedRun> {
  const parsedInput = ZLaunchRunInput.safeParse(rawInput);
  if (!parsedInput.success) {
    const details = parsedInput.error.issues.map((issue) => ({ path: issue.path.join(".") || "(input)", message: issue.message }));
    throw new TrainingError(`invalid launch: ${details.map((d) => `${d.path}: ${d.message}`).join("; ")}`, 400, details);
  }
  const input = parsedInput.data;
  const preset = findPreset(input.presetId);
  const config = resolveConfig(preset.id, input.overrides);
  const warnings: string[] = [];

  const version = await db.datasetVersion.findUnique({ where: { id: input.datasetVersionId }, include: { dataset: { select: { name: true } } } });
  if (!version) throw new TrainingError(`no dataset version with id ${input.datasetVersionId}`, 404, [{ path: "datasetVersionId", message: "no such dataset version" }]);
  const trainItems = await db.datasetVersionItem.count({ where: { versionId: version.id, split: "TRAIN" } });
  if (trainItems === 0) {
    throw new TrainingError(`dataset version "${version.name}" has no training items`, 400, [{ path: "datasetVersionId", message: "this version has no pairs in its train split" }]);
  }

  let baseModelId: string;
  let parentRunId: string | null = null;
  let modelName: string;
  if (input.parentRunId) {
    // SFT -> LPO: the parent's final adapter is merged into its base model, and this run trains a fresh LoRA on top.
    const parent = await db.run.findUnique({ where: { id: input.parentRunId }, include: { checkpoints: { where: { isFinal: true } }, baseModel: true } });
    if (!parent) throw new TrainingError(`no run with id ${input.parentRunId}`, 404, [{ path: "parentRunId", message: "no such run" }]);
    if (parent.status !== "SUCCEEDED" || parent.checkpoints.length === 0 || !parent.baseModel) {
      throw new TrainingError(`parent run "${parent.name}" has not succeeded with a final checkpoint (status ${parent.status.toLowerCase()})`, 400, [
        { path: "parentRunId", message: "the parent run must have succeeded with a final checkpoint" },
      ]);
    }
    if (input.baseModelId && input.baseModelId !== parent.baseModelId) {
      throw new TrainingError(`the parent run was trained from model ${parent.baseModel.name}; leave the base model empty or choose that one`, 400, [
        { path: "baseModelId", message: "must match the parent run's base model" },
      ]);
    }
    baseModelId = parent.baseModel.id;
    parentRunId = parent.id;
    modelName = `${parent.baseModel.name} + ${parent.name}`;
  } else {
    if (!input.baseModelId) throw new TrainingError("choose a base model or a parent run", 400, [{ path: "baseModelId", message: "choose a base model or a parent run" }]);
    const model = await db.registeredModel.findUnique({ where: { id: input.baseModelId } });
    if (!model) throw new TrainingError(`no registered model with id ${input.baseModelId}`, 404, [{ path: "baseModelId", message: "no such model" }]);
    baseModelId = model.id;
    modelName = model.name;
    if (preset.requiresParentRun) {
      warnings.push(`preset ${preset.id} is the second stage of SFT -> ${preset.label}; it starts from the base model ${model.name} because no parent SFT run was chosen`);
    }
  }

  const name = input.name || `${preset.id} · ${modelName} · ${version.dataset.name} v${version.version}`;
  const run = await db.run.create({
    data: {
      name,
      method: methodToEnum(config.method),
      preset: preset.id,
      config,
      status: "QUEUED",
      datasetVersionId: version.id,
      baseModelId,
      parentRunId,
      tags: [...new Set(input.tags)],
      createdById: options.createdById,
      logs: { create: [{ level: "info", message: `queued: preset ${preset.id}, ${trainItems} training pairs from "${version.name}"` }, ...warnings.map((message) => ({ level: "warn", message }))] },
    },
  });
  let jobId: string;
  try {
    jobId = await enqueueTrainJob(db, run.id, options.createdById);
  } catch (error) {
    await db.run.update({ where: { id: run.id }, data: { status: "FAILED", error: `could not queue the run: ${(error as Error).message}`, finishedAt: new Date() } });
    throw error;
  }
  await scheduleTrainWatchdog(db, run.id).catch((error: Error) => console.error(`[train] no watchdog for run ${run.id}: ${error.message}`));
  await recordAudit(db, { actorId: options.createdById, action: "run.launch", entityType: "run", entityId: run.id, detail: { preset: preset.id, datasetVersionId: version.id, baseModelId, parentRunId } }).catch(() => {});
  return { id: run.id, name, status: run.status, config, jobId, warnings };
}
