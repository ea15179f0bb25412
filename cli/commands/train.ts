// disco train: launch a training run exactly as the web form does (same validation, same queue), optionally wait
// for it. `--set loss.beta=5 --set lora.r=8` override the preset's settings; unknown keys exit 2 naming the known ones.
import type { Command } from "commander";
import { getDb } from "../../lib/db/client";
import { listLiveWorkers } from "../../lib/jobs/worker";
import { defaultPresetFor, findPreset, parseSetArgs } from "../../lib/training/config-overrides";
import { TrainingError } from "../../lib/training/errors";
import { launchRun } from "../../lib/training/launch";
import { getRun } from "../../lib/training/queries";
import { CliError, parseInput, printResult } from "../output";
import { withDatabase } from "../with-database";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A version by id or as <dataset name>@<version number>. */
async function resolveVersion(ref: string): Promise<string> {
  if (UUID.test(ref)) return ref;
  const match = /^(.+)@(\d+)$/.exec(ref);
  if (!match) throw new CliError(`--dataset-version: "${ref}" is neither a version id nor <dataset>@<version number>`);
  const version = await getDb().datasetVersion.findFirst({ where: { dataset: { name: match[1]! }, version: Number(match[2]) }, select: { id: true } });
  if (!version) throw new CliError(`--dataset-version: no version ${match[2]} of a dataset named "${match[1]}"`);
  return version.id;
}

/** A registered model by id or by name. */
async function resolveModel(ref: string): Promise<string> {
  const model = await getDb().registeredModel.findFirst({ where: UUID.test(ref) ? { id: ref } : { name: ref }, select: { id: true } });
  if (!model) {
    const known = await getDb().registeredModel.findMany({ select: { name: true }, orderBy: { name: "asc" } });
    throw new CliError(`--model: no registered model "${ref}" (registered: ${known.map((m) => m.name).join(", ") || "none"})`);
  }
  return model.id;
}

type TrainOptions = { method?: string; preset?: string; datasetVersion: string; model?: string; parentRun?: string; set: string[]; name?: string; tag: string[]; wait?: boolean; json?: boolean };

export function registerTrainCommand(program: Command): void {
  program
    .command("train")
    .description("launch a training run (queued on the `train` queue; a worker trains it)")
    .option("--method <method>", "sft, dpo, simpo, lpo or safecoder (picks that method's default preset)")
    .option("--preset <id>", "a preset id (e.g. lpo, lpo-reference, lpo-no-sft); must match --method when both are given")
    .requiredOption("--dataset-version <ref>", "dataset version id or <dataset>@<number>")
    .option("--model <ref>", "base model name or id")
    .option("--parent-run <id>", "a finished run whose adapter is merged into the base first (SFT -> LPO)")
    .option("--set <key=value>", "override a setting, e.g. loss.beta=10, lora.r=8, maxSteps=20 (repeatable)", collect, [])
    .option("--name <name>", "run name")
    .option("--tag <tag>", "tag the run (repeatable)", collect, [])
    .option("--wait", "wait until the run finishes; exit 1 unless it succeeds")
    .option("--json", "print JSON")
    .action(async (options: TrainOptions) => {
      // Input mistakes are found before any database work: exit 2 with the reason.
      const preset = parseInput(() => {
        if (!options.method && !options.preset) throw new Error("give --method or --preset");
        const chosen = options.preset ? findPreset(options.preset) : defaultPresetFor(options.method!.toLowerCase());
        if (options.method && chosen.config.method !== options.method.toLowerCase()) {
          throw new Error(`--preset ${chosen.id} trains ${chosen.config.method}, not ${options.method}`);
        }
        return chosen;
      });
      const overrides = parseInput(() => parseSetArgs(options.set));
      if (!options.model && !options.parentRun) throw new CliError("give --model or --parent-run");
      if (options.parentRun && !UUID.test(options.parentRun)) throw new CliError(`--parent-run must be a run id, got "${options.parentRun}"`);

      await withDatabase(async () => {
        const db = getDb();
        const datasetVersionId = await resolveVersion(options.datasetVersion);
        const baseModelId = options.model ? await resolveModel(options.model) : undefined;
        const run = await launchRun(db, { presetId: preset.id, datasetVersionId, baseModelId, parentRunId: options.parentRun, name: options.name, tags: options.tag, overrides }, { createdById: null }).catch(
          (error: unknown) => {
            throw error instanceof TrainingError && error.status < 500 ? new CliError(error.message) : error;
          },
        );
        for (const warning of run.warnings) process.stderr.write(`disco: warning: ${warning}\n`);
        if (!options.wait) {
          printResult(options, run, () => `queued run ${run.id} "${run.name}" (${preset.id}); follow it at /experiments/${run.id}`);
          return;
        }
        const workers = (await listLiveWorkers(db)).filter((worker) => worker.queues.includes("train"));
        if (workers.length === 0) process.stderr.write("disco: no live worker listens on the train queue yet; start one with `npm run worker -- --queues train`\n");
        let lastLine = "";
        for (;;) {
          const detail = await getRun(db, run.id);
          const line = `${detail.status.toLowerCase()} step ${detail.lastStep ?? 0}${detail.final.loss !== undefined ? ` loss ${detail.final.loss.toPrecision(4)}` : ""}`;
          if (line !== lastLine && !options.json) process.stderr.write(`${line}\n`);
          lastLine = line;
          if (detail.status === "SUCCEEDED" || detail.status === "FAILED" || detail.status === "CANCELLED") {
            printResult(options, detail, () => `run ${detail.id} ${detail.status.toLowerCase()} after ${detail.lastStep ?? 0} steps${detail.error ? `: ${detail.error}` : ""}`);
            if (detail.status !== "SUCCEEDED") process.exitCode = 1;
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 2000));
        }
      });
    });
}
