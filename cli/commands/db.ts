// disco db migrate|status
import type { Command } from "commander";
import { applyMigrations, getMigrationStatus } from "../../lib/db/migrate";
import { printResult } from "../output";
import { withDatabase } from "../with-database";

export function registerDbCommands(program: Command): void {
  const db = program.command("db").description("database schema");

  db.command("migrate")
    .description("apply pending migrations from prisma/migrations")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      await withDatabase(async (url) => {
        const applied = await applyMigrations(url);
        printResult(options, { applied }, () => (applied.length ? `applied: ${applied.join(", ")}` : "database is up to date"));
      });
    });

  db.command("status")
    .description("list applied and pending migrations")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      await withDatabase(async (url) => {
        const status = await getMigrationStatus(url);
        printResult(options, status, () =>
          [`applied: ${status.applied.length}`, `pending: ${status.pending.join(", ") || "none"}`, ...(status.modified.length ? [`edited after applying: ${status.modified.join(", ")}`] : [])].join("\n"),
        );
        if (status.pending.length || status.modified.length) process.exitCode = 1;
      });
    });
}
