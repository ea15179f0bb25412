// disco bench import <file> --format <f> [--name] | disco bench list | disco eval score <evaluationId>
import fs from "node:fs";
import type { Command } from "commander";
import { getDb } from "../../lib/db/client";
import { importBenchmark } from "../../lib/eval/benchmarks/import-benchmark";
import { BENCHMARK_FORMATS, BenchmarkFileError, ZBenchmarkFormat } from "../../lib/eval/benchmarks/parse-benchmark";
import { EvaluationNotFoundError, scoreEvaluation } from "../../lib/eval/score-evaluation";
import { SandboxUnavailableError } from "../../lib/eval/sandbox";
import { CliError, parseInput, printResult, table } from "../output";
import { registerEvalLaunch } from "./eval-launch";
import { withDatabase } from "../with-database";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const fmt = (value: number | null | undefined, digits = 1) => (value === null || value === undefined ? "-" : value.toFixed(digits));

export function registerEvalCommands(program: Command): void {
  const bench = program.command("bench").description("benchmarks for evaluation: import the public files, list what is stored");

  bench
    .command("import <file>")
    .description(`import a benchmark file (a folder for safecoder); re-importing the same file changes nothing`)
    .requiredOption("--format <format>", `one of ${BENCHMARK_FORMATS.join(", ")}`)
    .option("--name <name>", "benchmark name (default: the format's usual name, e.g. SecurityEval)")
    .option("--json", "print JSON")
    .action(async (file: string, options: { format: string; name?: string; json?: boolean }) => {
      const format = parseInput(() => ZBenchmarkFormat.parse(options.format, { error: () => `--format must be one of ${BENCHMARK_FORMATS.join(", ")}, got "${options.format}"` }));
      if (options.name !== undefined && !options.name.trim()) throw new CliError("--name must not be empty");
      try {
        fs.accessSync(file, fs.constants.R_OK);
      } catch (error) {
        throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 1);
      }
      await withDatabase(async () => {
        let report;
        try {
          report = await importBenchmark(getDb(), { filePath: file, format, name: options.name });
        } catch (error) {
          if (error instanceof BenchmarkFileError) throw new CliError(error.message, 1);
          throw error;
        }
        printResult(options, report, () => {
          const kinds = Object.entries(report.promptKinds).map(([kind, n]) => `${n} ${kind.toLowerCase()}`).join(", ");
          return `${report.name} (${report.kind.toLowerCase()}, ${report.format}): ${report.items} items (${kinds}), ${report.outcome}; sha256 ${report.sourceHash}\nid ${report.benchmarkId}`;
        });
      });
    });

  bench
    .command("list")
    .description("list stored benchmarks with their item counts and source hashes")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      await withDatabase(async () => {
        const rows = await getDb().benchmark.findMany({ orderBy: { name: "asc" }, include: { _count: { select: { items: true, evaluations: true } } } });
        const data = rows.map((b) => ({ id: b.id, name: b.name, kind: b.kind, format: b.format, items: b._count.items, evaluations: b._count.evaluations, sourceHash: b.sourceHash }));
        printResult(options, data, () => table(data.map((d) => ({ ...d, sourceHash: d.sourceHash.slice(0, 12) })), ["name", "kind", "format", "items", "evaluations", "sourceHash", "id"]));
      });
    });

  const evaluation = program.command("eval").description("evaluations of models on benchmarks");
  // Launching: `disco eval --run|--model|--frontier ... --benchmark ...`, `disco eval run ...`, `disco eval list` (eval-launch.ts).
  registerEvalLaunch(evaluation);

  evaluation
    .command("score <evaluationId>")
    .description("score an evaluation's stored generations: security (Bandit, CodeQL where installed) or sandboxed tests (pass@k)")
    .option("--codeql <mode>", "auto (where the CLI is installed), on, off", "auto")
    .option("--both", "run both the security analysis and the tests, whatever the benchmark's kind")
    .option("--json", "print JSON")
    .action(async (evaluationId: string, options: { codeql: string; both?: boolean; json?: boolean }) => {
      if (!UUID.test(evaluationId)) throw new CliError(`the evaluation id must be a UUID, got "${evaluationId}"`);
      const codeql = ({ auto: "auto", on: true, off: false } as const)[options.codeql as "auto" | "on" | "off"];
      if (codeql === undefined) throw new CliError(`--codeql must be auto, on or off, got "${options.codeql}"`);
      await withDatabase(async () => {
        let summary;
        try {
          summary = await scoreEvaluation(getDb(), { evaluationId, codeql, both: options.both ?? false });
        } catch (error) {
          if (error instanceof EvaluationNotFoundError || error instanceof SandboxUnavailableError) throw new CliError(error.message, 1);
          throw error;
        }
        printResult(options, summary, () =>
          [
            `${summary.generations} generations over ${summary.items} items: ${summary.valid} valid, ${summary.invalid} invalid`,
            `InS ${fmt(summary.InS)}  I@100 ${fmt(summary["I@100"])}  pass@1 ${fmt(summary["pass@1"] === null ? null : 100 * summary["pass@1"])}  pass@5 ${fmt(summary["pass@5"] === null ? null : 100 * summary["pass@5"])}`,
            ...Object.entries(summary.perCwe)
              .sort((a, b) => b[1] - a[1])
              .map(([cwe, n]) => `  ${cwe}: ${n}`),
            `tools: ${Object.entries(summary.tools).map(([tool, version]) => `${tool} ${version}`).join(", ")}`,
          ].join("\n"),
        );
      });
    });
}
