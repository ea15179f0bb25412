// disco masks | disco analyze | disco stats : the security engine from the command line.
import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import type { Command } from "commander";
import { computeAndStoreDatasetStatistics } from "../../lib/analysis/dataset-statistics";
import { runBandit } from "../../lib/analyzers/bandit";
import { detectCodeql, runCodeql } from "../../lib/analyzers/codeql";
import { groupEquivalentFindings } from "../../lib/analyzers/dedupe";
import type { TFinding } from "../../lib/analyzers/finding";
import { getDb } from "../../lib/db/client";
import { enqueueJob } from "../../lib/jobs/enqueue";
import { computeDatasetStats, type DatasetStats } from "../../lib/masks/dataset-stats";
import { computePairMasks } from "../../lib/masks/mask-spans";
import { PythonSyntaxChecker } from "../../lib/python/syntax-checker";
import { DEFAULT_TOKENIZER_ID, loadTokenizer } from "../../lib/tokenizers/registry";
import { CliError, printResult, table } from "../output";
import { withDatabase } from "../with-database";

function readSource(file: string): string {
  if (!fs.existsSync(file)) throw new CliError(`No such file: ${file}`);
  return fs.readFileSync(file, "utf8");
}

function pythonFiles(target: string): string[] {
  if (!fs.existsSync(target)) throw new CliError(`No such file or folder: ${target}`);
  if (fs.statSync(target).isFile()) return [target];
  return fs
    .readdirSync(target, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".py"))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

async function tokenizerOrUsageError(id: string) {
  try {
    return await loadTokenizer(id);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

function formatStats(stats: DatasetStats): string {
  const f = (value: number) => value.toFixed(1);
  return [
    `pairs: ${stats.pairs} (tokenizer ${stats.tokenizerId})`,
    `avg lines insecure / secure: ${f(stats.avgLinesInsecure)} / ${f(stats.avgLinesSecure)}`,
    `avg % security-relevant tokens insecure / secure: ${f(stats.avgMaskedPctInsecure)} / ${f(stats.avgMaskedPctSecure)}`,
    `avg character diff |secure - insecure|: ${f(stats.avgCharDiff)}`,
    `identical pairs: ${stats.identicalPairs}`,
  ].join("\n");
}

export function registerSecurityCommands(program: Command): void {
  program
    .command("masks")
    .description("token ids, m- / m+ masks and character spans of an insecure/secure pair")
    .requiredOption("--insecure <file>", "insecure (rejected) code")
    .requiredOption("--secure <file>", "secure (chosen) code")
    .option("--tokenizer <id|path>", `built-in id, "hf:<model dir>" or a tokenizer.json path`, DEFAULT_TOKENIZER_ID)
    .option("--json", "print JSON")
    .action(async (options: { insecure: string; secure: string; tokenizer: string; json?: boolean }) => {
      const tokenizer = await tokenizerOrUsageError(options.tokenizer);
      const insecure = readSource(options.insecure);
      const secure = readSource(options.secure);
      const masks = computePairMasks(tokenizer, insecure, secure);
      const sideJson = (side: typeof masks.insecure) => ({
        ids: side.ids,
        mask: Array.from(side.mask),
        tokenRanges: side.tokenRanges,
        charSpans: side.charSpans,
        exactOffsets: side.exactOffsets,
      });
      printResult(options, { tokenizer: tokenizer.id, insecure: sideJson(masks.insecure), secure: sideJson(masks.secure) }, () => {
        const show = (code: string, spans: [number, number][]) => spans.map(([start, end]) => JSON.stringify(code.slice(start, end))).join(" ");
        return [
          `tokenizer ${tokenizer.id}`,
          `insecure: ${masks.insecure.ids.length} tokens, ${masks.insecure.mask.reduce((sum, bit) => sum + bit, 0)} in m-: ${show(insecure, masks.insecure.charSpans)}`,
          `secure:   ${masks.secure.ids.length} tokens, ${masks.secure.mask.reduce((sum, bit) => sum + bit, 0)} in m+: ${show(secure, masks.secure.charSpans)}`,
        ].join("\n");
      });
    });

  program
    .command("analyze <paths...>")
    .description("syntax check, Bandit and (if installed) CodeQL findings for Python files or folders, normalized and de-duplicated")
    .option("--no-codeql", "skip CodeQL even when installed")
    .option("--json", "print JSON")
    .action(async (paths: string[], options: { codeql: boolean; json?: boolean }) => {
      const files = paths.flatMap(pythonFiles);
      if (files.length === 0) throw new CliError(`No .py files under ${paths.join(", ")}`);
      const snippets = files.map((file) => ({ id: file, code: fs.readFileSync(file, "utf8") }));
      const syntax = new PythonSyntaxChecker();
      const checks = await syntax.checkMany(snippets.map((snippet) => snippet.code)).finally(() => syntax.close());
      const bandit = await runBandit(snippets, { side: "generation" });
      const tools: Record<string, string> = { bandit: bandit.version };
      const all: TFinding[] = bandit.results.flatMap((result) => result.findings.map((finding) => ({ ...finding, snippetId: result.snippetId })));
      const toolErrors = bandit.results.flatMap((result) => result.errors.map((error) => ({ file: result.snippetId, tool: "bandit", reason: error.reason })));
      if (options.codeql && (await detectCodeql()).available) {
        const codeql = await runCodeql(snippets, { side: "generation" });
        tools.codeql = codeql.version;
        all.push(...codeql.results.flatMap((result) => result.findings.map((finding) => ({ ...finding, snippetId: result.snippetId }))));
      }
      const issues = groupEquivalentFindings(all).map((group) => ({ ...group[0]!, alsoReportedBy: group.slice(1).map((finding) => `${finding.tool}:${finding.ruleId}`) }));
      const report = files.map((file, index) => ({
        file,
        parses: checks[index]!.ok,
        syntaxError: checks[index]!.ok ? null : checks[index],
        findings: issues.filter((issue) => issue.snippetId === file).map(({ snippetId: _snippet, ...issue }) => issue),
      }));
      printResult(options, { tools, files: report, toolErrors }, () =>
        [
          table(
            report.flatMap((entry) => entry.findings.map((finding) => ({ file: entry.file, line: finding.startLine, rule: `${finding.tool}:${finding.ruleId}`, cwe: finding.cwe ?? "-", severity: finding.severity, message: finding.message.slice(0, 70) }))),
            ["file", "line", "rule", "cwe", "severity", "message"],
          ),
          ...report.filter((entry) => !entry.parses).map((entry) => `${entry.file}: does not parse (${JSON.stringify(entry.syntaxError)})`),
          `${issues.length} distinct issues in ${files.length} files (${Object.entries(tools).map(([tool, version]) => `${tool} ${version}`).join(", ")})`,
        ].join("\n"),
      );
    });

  program
    .command("stats")
    .description("Table 6 statistics (lines, % security-relevant tokens, character diff) of a stored dataset or a DiSCo CSV")
    .option("--dataset <name>", "a stored dataset; the result is saved with it")
    .option("--disco-csv <file>", "a DiSCo CSV (`Secure Code`, `Vulnerable Code` columns), computed without storing")
    .option("--tokenizer <id|path>", "tokenizer for the masks", DEFAULT_TOKENIZER_ID)
    .option("--json", "print JSON")
    .action(async (options: { dataset?: string; discoCsv?: string; tokenizer: string; json?: boolean }) => {
      if (!!options.dataset === !!options.discoCsv) throw new CliError("give exactly one of --dataset <name> or --disco-csv <file>");
      const tokenizer = await tokenizerOrUsageError(options.tokenizer);
      if (options.discoCsv) {
        const rows = parse(readSource(options.discoCsv), { columns: true }) as Record<string, string>[];
        if (!rows[0] || !("Secure Code" in rows[0]) || !("Vulnerable Code" in rows[0])) {
          throw new CliError(`${options.discoCsv} has no "Secure Code" and "Vulnerable Code" columns`);
        }
        const stats = computeDatasetStats(rows.map((row) => ({ insecure: row["Vulnerable Code"]!, secure: row["Secure Code"]! })), tokenizer);
        printResult(options, stats, () => formatStats(stats));
        return;
      }
      await withDatabase(async () => {
        const dataset = await getDb().dataset.findUnique({ where: { name: options.dataset! } });
        if (!dataset) throw new CliError(`No dataset named "${options.dataset}"`);
        const stats = await computeAndStoreDatasetStatistics(getDb(), dataset.id, tokenizer.id);
        printResult(options, stats, () => formatStats(stats));
      });
    });

  const pairs = program.command("pairs").description("stored insecure/secure pairs");
  pairs
    .command("analyze")
    .description("queue an analysis job (syntax, analyzers, masks) for a dataset's pairs or for all pairs")
    .option("--dataset <name>", "only this dataset")
    .option("--tokenizer <ids>", "comma-separated tokenizer ids for the masks", DEFAULT_TOKENIZER_ID)
    .option("--json", "print JSON")
    .action(async (options: { dataset?: string; tokenizer: string; json?: boolean }) => {
      const tokenizerIds = options.tokenizer.split(",").map((id) => id.trim()).filter(Boolean);
      for (const id of tokenizerIds) await tokenizerOrUsageError(id);
      await withDatabase(async () => {
        let datasetId: string | undefined;
        if (options.dataset) {
          const dataset = await getDb().dataset.findUnique({ where: { name: options.dataset } });
          if (!dataset) throw new CliError(`No dataset named "${options.dataset}"`);
          datasetId = dataset.id;
        }
        const id = await enqueueJob(getDb(), "analyze.pairs", { datasetId, tokenizerIds });
        printResult(options, { jobId: id }, () => `queued analysis job ${id} (follow it with: disco jobs show ${id})`);
      });
    });
}
