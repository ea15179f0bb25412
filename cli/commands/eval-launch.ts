// disco eval --run <id> | --model <name> | --frontier <model> --provider <name>  --benchmark <name> [--samples 5] ...
// (also spelled `disco eval run ...`): launches an evaluation through the same function as the web form (same
// validation, same eval queue), optionally waits for its summary. `disco eval list` shows evaluations.
import type { Command } from "commander";
import { z } from "zod";
import { getDb } from "../../lib/db/client";
import { EvaluationLaunchError, launchEvaluation } from "../../lib/eval/launch";
import { getEvaluation, listEvaluations } from "../../lib/eval/queries";
import { listLiveWorkers } from "../../lib/jobs/worker";
import { CliError, parseInput, printResult, table } from "../output";
import { withDatabase } from "../with-database";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type TLaunchOptions = {
  run?: string;
  checkpoint?: string;
  model?: string;
  frontier?: string;
  provider?: string;
  benchmark?: string;
  samples?: string;
  temperature?: string;
  topP?: string;
  topK?: string;
  maxNewTokens?: string;
  limit?: string;
  seed?: string;
  tag: string[];
  wait?: boolean;
  json?: boolean;
};

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

const number = (flag: string, integer: boolean) =>
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      const value = Number(text);
      if (text.trim() === "" || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
        ctx.addIssue({ code: "custom", message: `${flag} must be ${integer ? "an integer" : "a number"}, got "${text}"` });
        return z.NEVER;
      }
      return value;
    });

function addLaunchOptions(command: Command): Command {
  return command
    .option("--run <id>", "a finished training run (its final checkpoint unless --checkpoint)")
    .option("--checkpoint <id>", "a checkpoint of the run")
    .option("--model <ref>", "a registered base model, by name or id")
    .option("--frontier <model>", "a frontier model name (e.g. gpt-4o), asked through --provider")
    .option("--provider <ref>", "the LLM provider (name or id) that serves --frontier")
    .option("--benchmark <ref>", "benchmark name or id (see disco bench list)")
    .option("--samples <n>", "samples per item (default 5)")
    .option("--temperature <t>", "sampling temperature (default 0.4 security, 0.6 utility)")
    .option("--top-p <p>", "nucleus sampling (default 0.95)")
    .option("--top-k <k>", "top-k sampling (default 50)")
    .option("--max-new-tokens <n>", "at most this many new tokens per sample (default 512)")
    .option("--limit <n>", "only the first N items of the benchmark")
    .option("--seed <n>", "sampling seed (default 0)")
    .option("--tag <tag>", "tag the evaluation (repeatable)", collect, [])
    .option("--wait", "wait until it is scored; exit 1 unless it succeeds")
    .option("--json", "print JSON");
}

const pct = (value: number | null | undefined, scale = 1) => (value === null || value === undefined ? "-" : (value * scale).toFixed(1));

async function launchFromCli(options: TLaunchOptions): Promise<void> {
  const numbers = parseInput(() => {
    const parsed = z
      .object({
        samples: number("--samples", true),
        temperature: number("--temperature", false),
        topP: number("--top-p", false),
        topK: number("--top-k", true),
        maxNewTokens: number("--max-new-tokens", true),
        limit: number("--limit", true),
        seed: number("--seed", true),
      })
      .safeParse(options);
    if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join("; "));
    return parsed.data;
  });
  const subjects = [options.run && "--run", options.model && "--model", options.frontier && "--frontier"].filter(Boolean);
  if (subjects.length !== 1) throw new CliError(subjects.length === 0 ? "give one of --run, --model or --frontier" : `give only one of ${subjects.join(", ")}`);
  if (!options.benchmark) throw new CliError("give --benchmark (a name or id; see disco bench list)");
  if (options.run && !UUID.test(options.run)) throw new CliError(`--run must be a run id, got "${options.run}"`);
  if (options.checkpoint && !UUID.test(options.checkpoint)) throw new CliError(`--checkpoint must be a checkpoint id, got "${options.checkpoint}"`);
  if (options.frontier && !options.provider) throw new CliError("--frontier needs --provider");

  await withDatabase(async () => {
    const db = getDb();
    let modelId: string | undefined;
    if (options.model) {
      const model = await db.registeredModel.findFirst({ where: UUID.test(options.model) ? { id: options.model } : { name: options.model }, select: { id: true } });
      if (!model) {
        const known = await db.registeredModel.findMany({ select: { name: true }, orderBy: { name: "asc" } });
        throw new CliError(`--model: no registered model "${options.model}" (registered: ${known.map((m) => m.name).join(", ") || "none"})`);
      }
      modelId = model.id;
    }
    let providerId: string | undefined;
    if (options.provider) {
      const provider = await db.llmProvider.findFirst({ where: UUID.test(options.provider) ? { id: options.provider } : { name: options.provider }, select: { id: true } });
      if (!provider) throw new CliError(`--provider: no provider "${options.provider}"`);
      providerId = provider.id;
    }
    const byId = UUID.test(options.benchmark!);
    const launched = await launchEvaluation(
      db,
      {
        runId: options.run,
        checkpointId: options.checkpoint,
        modelId,
        frontierModel: options.frontier,
        providerId,
        ...(byId ? { benchmarkId: options.benchmark } : { benchmarkName: options.benchmark }),
        ...Object.fromEntries(Object.entries(numbers).filter(([, value]) => value !== undefined)),
        tags: options.tag,
      },
      { createdById: null },
    ).catch((error: unknown) => {
      throw error instanceof EvaluationLaunchError ? new CliError(error.message, error.status === 400 ? 2 : 1) : error;
    });
    if (!options.wait) {
      printResult(options, launched, () => `queued evaluation ${launched.id}: ${launched.subject} on ${launched.benchmark.name} (${launched.benchmark.items} items x ${launched.decoding.n} samples); see /evaluations/${launched.id}`);
      return;
    }
    const workers = (await listLiveWorkers(db)).filter((worker) => worker.queues.includes("eval"));
    if (workers.length === 0) process.stderr.write("disco: no live worker listens on the eval queue yet; start one with `npm run worker -- --queues eval`\n");
    let lastLine = "";
    for (;;) {
      const evaluation = await getEvaluation(db, launched.id);
      if (!evaluation) throw new CliError(`evaluation ${launched.id} disappeared`, 1);
      const line = `${evaluation.status.toLowerCase()}: ${evaluation.generations} generations`;
      if (line !== lastLine && !options.json) process.stderr.write(`${line}\n`);
      lastLine = line;
      if (evaluation.status === "SUCCEEDED" || evaluation.status === "FAILED" || evaluation.status === "CANCELLED") {
        printResult(options, evaluation, () => {
          const s = evaluation.summary;
          const numbersLine = s ? `InS ${pct(s.InS)}  I@100 ${pct(s["I@100"])}  pass@1 ${pct(s["pass@1"], 100)}  pass@5 ${pct(s["pass@5"], 100)}  (${s.valid} valid, ${s.invalid} invalid)` : "";
          return `evaluation ${evaluation.id} ${evaluation.status.toLowerCase()}${evaluation.error ? `: ${evaluation.error}` : ""}\n${numbersLine}`.trimEnd();
        });
        if (evaluation.status !== "SUCCEEDED") process.exitCode = 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  });
}

/** Adds the launch options and action to `disco eval` itself, plus `disco eval run` and `disco eval list`. */
export function registerEvalLaunch(evaluation: Command): void {
  // `eval` has options of its own now: they count only before a subcommand name, so `eval score <id> --json` and
  // `eval run --model ...` keep their options.
  evaluation.enablePositionalOptions();
  addLaunchOptions(evaluation).action((options: TLaunchOptions) => launchFromCli(options));
  addLaunchOptions(evaluation.command("run").description("launch an evaluation (same as `disco eval --run/--model/--frontier ...`)")).action((options: TLaunchOptions) =>
    launchFromCli(options),
  );
  evaluation
    .command("list")
    .description("list evaluations with status and headline numbers")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      await withDatabase(async () => {
        const rows = await listEvaluations(getDb(), { limit: 200 });
        printResult(options, rows, () =>
          table(
            rows.map((e) => ({
              id: e.id,
              status: e.status.toLowerCase(),
              subject: e.subject,
              benchmark: e.benchmark.name,
              generations: e.generations,
              InS: pct(e.summary?.InS),
              "I@100": pct(e.summary?.["I@100"]),
              "pass@1": pct(e.summary?.["pass@1"], 100),
              "pass@5": pct(e.summary?.["pass@5"], 100),
            })),
            ["status", "subject", "benchmark", "generations", "InS", "I@100", "pass@1", "pass@5", "id"],
          ),
        );
      });
    });
}
