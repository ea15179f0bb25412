// disco kb import <file> [--format disco|mitre] [--source cwe|codeql|bandit|custom] | disco kb list | disco kb templates
import fs from "node:fs";
import type { Command } from "commander";
import { getDb } from "../../lib/db/client";
import { ensureDefaultTemplates, listLatestTemplates } from "../../lib/distill/templates";
import { searchKnowledgeEntries } from "../../lib/knowledge/entries";
import { importKnowledgeFile } from "../../lib/knowledge/import-kb";
import { KB_FORMATS, KB_SOURCES, KbFileError, ZKbFormat, ZKbSource } from "../../lib/knowledge/parse-kb";
import { CliError, parseInput, printResult, table } from "../output";
import { withDatabase } from "../with-database";

export function registerKbCommands(program: Command): void {
  const kb = program.command("kb").description("knowledge base: security issues and packages that distillation prompts are made from");

  kb.command("import <file>")
    .description("import entries from a DiSCo rules CSV or MITRE's CWE CSV export; re-importing updates, never duplicates")
    .option("--format <format>", `one of ${KB_FORMATS.join(", ")} (default: detected from the header)`)
    .option("--source <source>", `one of ${KB_SOURCES.map((s) => s.toLowerCase()).join(", ")} (default: from the file name / format)`)
    .option("--json", "print JSON")
    .action(async (file: string, options: { format?: string; source?: string; json?: boolean }) => {
      const format =
        options.format === undefined
          ? undefined
          : parseInput(() => ZKbFormat.parse(options.format!.toLowerCase(), { error: () => `--format must be one of ${KB_FORMATS.join(", ")}, got "${options.format}"` }));
      const source =
        options.source === undefined
          ? undefined
          : parseInput(() =>
              ZKbSource.parse(options.source!.toUpperCase(), { error: () => `--source must be one of ${KB_SOURCES.map((s) => s.toLowerCase()).join(", ")}, got "${options.source}"` }),
            );
      try {
        fs.accessSync(file, fs.constants.R_OK);
      } catch (error) {
        throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 1);
      }
      await withDatabase(async () => {
        let report;
        try {
          report = await importKnowledgeFile(getDb(), file, { format, source });
        } catch (error) {
          if (error instanceof KbFileError) throw new CliError(`${file}: ${error.message}`, 1);
          throw error;
        }
        printResult(options, report, () =>
          [
            `${report.format} (${report.source.toLowerCase()}): ${report.total} rows, ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.invalidCount} invalid`,
            ...report.invalid.map((row) => `  line ${row.line}: ${row.reason}`),
            ...(report.invalidCount > report.invalid.length ? [`  ... and ${report.invalidCount - report.invalid.length} more`] : []),
          ].join("\n"),
        );
      });
    });

  kb.command("list")
    .description("list knowledge-base entries")
    .option("--source <source>", `only this source (${KB_SOURCES.map((s) => s.toLowerCase()).join(", ")})`)
    .option("--cwe <id>", "only this CWE (e.g. CWE-78)")
    .option("--search <text>", "text in the title or description")
    .option("--limit <n>", "at most this many rows", "100")
    .option("--json", "print JSON")
    .action(async (options: { source?: string; cwe?: string; search?: string; limit: string; json?: boolean }) => {
      const source = options.source === undefined ? undefined : parseInput(() => ZKbSource.parse(options.source!.toUpperCase(), { error: () => `--source must be one of ${KB_SOURCES.map((s) => s.toLowerCase()).join(", ")}` }));
      const take = parseInput(() => {
        const n = Number(options.limit);
        if (!Number.isInteger(n) || n < 1 || n > 2000) throw new Error(`--limit must be an integer from 1 to 2000, got "${options.limit}"`);
        return n;
      });
      await withDatabase(async () => {
        let result;
        try {
          result = await searchKnowledgeEntries(getDb(), { source, cwe: options.cwe, q: options.search, take });
        } catch (error) {
          if ((error as { status?: number }).status === 400) throw new CliError((error as Error).message);
          throw error;
        }
        printResult(options, result, () =>
          [
            table(
              result.entries.map((e) => ({ cwe: e.cweId, source: e.source.toLowerCase(), title: e.title.slice(0, 70), pairs: e.pairCount })),
              ["cwe", "source", "title", "pairs"],
            ),
            `${result.entries.length} of ${result.total} entries`,
          ].join("\n"),
        );
      });
    });

  kb.command("templates")
    .description("list prompt templates (creates the default ones if missing)")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      await withDatabase(async () => {
        const db = getDb();
        await ensureDefaultTemplates(db);
        const templates = await listLatestTemplates(db);
        printResult(options, templates, () =>
          table(
            templates.map((t) => ({ name: t.name, kind: t.kind.toLowerCase(), version: t.version, id: t.id })),
            ["name", "kind", "version", "id"],
          ),
        );
      });
    });
}
