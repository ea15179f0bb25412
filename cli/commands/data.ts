// disco import <file> --dataset <name> | disco export --version <id> --format <f> --out <file>
import fs from "node:fs";
import { finished } from "node:stream/promises";
import type { Command } from "commander";
import { getDb } from "../../lib/db/client";
import { exportVersion } from "../../lib/datasets/export/export-version";
import { EXPORT_FORMATS, ZExportFormat } from "../../lib/datasets/export/export-formats";
import { VersionNotFoundError } from "../../lib/datasets/export/version-rows";
import { IMPORT_FORMATS, ImportFormatError, ZImportFormat } from "../../lib/datasets/import/formats";
import { importPairs } from "../../lib/datasets/import/import-pairs";
import { ImportFileError } from "../../lib/datasets/import/parse-pairs";
import { enqueueJob } from "../../lib/jobs/enqueue";
import { CliError, parseInput, printResult } from "../output";
import { withDatabase } from "../with-database";

export function registerDataCommands(program: Command): void {
  program
    .command("import <file>")
    .description(`import pairs from a file (${IMPORT_FORMATS.join(", ")}); bad rows are reported, good rows imported, repeats skipped`)
    .requiredOption("--dataset <name>", "dataset to import into (created if missing)")
    .option("--format <format>", `one of ${IMPORT_FORMATS.join(", ")} (default: detected from the file)`)
    .option("--analyze", "queue an analyze.pairs job for the new pairs (a running worker picks it up)")
    .option("--json", "print JSON")
    .action(async (file: string, options: { dataset: string; format?: string; analyze?: boolean; json?: boolean }) => {
      const format = options.format === undefined ? undefined : parseInput(() => ZImportFormat.parse(options.format, { error: () => `--format must be one of ${IMPORT_FORMATS.join(", ")}, got "${options.format}"` }));
      // Fail before starting a database when the file is not there at all.
      try {
        fs.accessSync(file, fs.constants.R_OK);
      } catch (error) {
        throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 1);
      }
      await withDatabase(async () => {
        const db = getDb();
        let result;
        try {
          result = await importPairs(db, { datasetName: options.dataset, format, filePath: file });
        } catch (error) {
          if (error instanceof ImportFileError || error instanceof ImportFormatError) throw new CliError(error.message, 1);
          throw error;
        }
        const { insertedPairIds, ...report } = result;
        const analyzeJobId = options.analyze && insertedPairIds.length ? await enqueueJob(db, "analyze.pairs", { pairIds: insertedPairIds }) : null;
        printResult(options, { ...report, analyzeJobId }, () =>
          [
            `${report.format} -> dataset ${report.datasetName}: ${report.total} rows, ${report.inserted} inserted, ${report.duplicates} already present, ${report.invalidCount} invalid`,
            ...report.invalid.map((row) => `  line ${row.line}: ${row.reason}`),
            ...(report.invalidCount > report.invalid.length ? [`  ... and ${report.invalidCount - report.invalid.length} more`] : []),
            ...(analyzeJobId ? [`queued analysis job ${analyzeJobId}`] : []),
          ].join("\n"),
        );
      });
    });

  program
    .command("export")
    .description("export a frozen dataset version with its split column")
    .requiredOption("--version <id>", "dataset version id")
    .requiredOption("--format <format>", `one of ${EXPORT_FORMATS.join(", ")}`)
    .requiredOption("--out <file>", "file to write")
    .option("--json", "print JSON")
    .action(async (options: { version: string; format: string; out: string; json?: boolean }) => {
      const format = parseInput(() => ZExportFormat.parse(options.format, { error: () => `--format must be one of ${EXPORT_FORMATS.join(", ")}, got "${options.format}"` }));
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(options.version)) throw new CliError(`--version must be a dataset version id (a UUID), got "${options.version}"`);
      await withDatabase(async () => {
        let exported;
        try {
          exported = await exportVersion(getDb(), options.version, format);
        } catch (error) {
          if (error instanceof VersionNotFoundError) throw new CliError(error.message, 1);
          throw error;
        }
        // Write to a temporary name and rename at the end, so a failed export never leaves a truncated file behind.
        const partial = `${options.out}.partial`;
        const out = fs.createWriteStream(partial);
        let bytes = 0;
        try {
          for await (const chunk of exported.chunks) {
            bytes += chunk.byteLength;
            if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
          }
          out.end();
          await finished(out);
          fs.renameSync(partial, options.out);
        } catch (error) {
          out.destroy();
          fs.rmSync(partial, { force: true });
          throw error;
        }
        printResult(options, { file: options.out, format, rows: exported.rows, bytes }, () => `wrote ${exported.rows} pairs (${bytes} bytes, ${format}) to ${options.out}`);
      });
    });
}
