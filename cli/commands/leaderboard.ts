// disco leaderboard [--view table1] [--format text|csv|latex|json] [--dataset-version <id>] [--tag <t>]: the same
// paper-shaped tables as the Leaderboards page, for papers and scripts.
import type { Command } from "commander";
import { getDb } from "../../lib/db/client";
import { getLeaderboard } from "../../lib/leaderboards/get-leaderboard";
import { LEADERBOARD_VIEWS, ZLeaderboardFilters } from "../../lib/leaderboards/load";
import { formatMetric, leaderboardToCsv, leaderboardToLatex } from "../../lib/leaderboards/table";
import { CliError, parseInput, table } from "../output";
import { withDatabase } from "../with-database";

const FORMATS = ["text", "csv", "latex", "json"] as const;

export function registerLeaderboardCommand(program: Command): void {
  program
    .command("leaderboard")
    .description("print a leaderboard view (Tables 1-5 of the paper) from finished evaluations")
    .option("--view <id>", `one of ${LEADERBOARD_VIEWS.map((view) => view.id).join(", ")}`, "table1")
    .option("--format <format>", `one of ${FORMATS.join(", ")}`, "text")
    .option("--dataset-version <id>", "only runs trained on this dataset version")
    .option("--tag <tag>", "only runs or evaluations with this tag")
    .option("--json", "same as --format json")
    .action(async (options: { view: string; format: string; datasetVersion?: string; tag?: string; json?: boolean }) => {
      const format = options.json ? "json" : options.format;
      if (!(FORMATS as readonly string[]).includes(format)) throw new CliError(`--format must be one of ${FORMATS.join(", ")}, got "${format}"`);
      const filters = parseInput(() => ZLeaderboardFilters.parse({ view: options.view, datasetVersionId: options.datasetVersion, tag: options.tag }));
      await withDatabase(async () => {
        const { table: leaderboard, view } = await getLeaderboard(getDb(), filters);
        if (format === "json") process.stdout.write(JSON.stringify({ view, table: leaderboard }, null, 2) + "\n");
        else if (format === "csv") process.stdout.write(leaderboardToCsv(leaderboard));
        else if (format === "latex") process.stdout.write(leaderboardToLatex(leaderboard, { caption: view.label }));
        else {
          const columns = leaderboard.columns.map((column) => `${column.benchmark} ${column.metric.label}`);
          const rows = leaderboard.rows.map((row) => ({
            Model: row.baseModel,
            Method: row.method,
            ...Object.fromEntries(row.cells.map((cell, index) => [columns[index]!, `${formatMetric(cell.value)}${cell.isBest ? "*" : ""}`])),
          }));
          process.stdout.write(`${view.label} (* best per column)\n${table(rows, ["Model", "Method", ...columns])}\n`);
        }
      });
    });
}
