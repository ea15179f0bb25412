// disco health
import type { Command } from "commander";
import { getHealth } from "../../lib/health/get-health";
import { printResult } from "../output";
import { withDatabase } from "../with-database";

const mark = (ok: boolean) => (ok ? "ok  " : "FAIL");

export function registerHealthCommand(program: Command): void {
  program
    .command("health")
    .description("report database, migrations, queue, analyzers and trainer backends")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      await withDatabase(async () => {
        const health = await getHealth();
        printResult(options, health, () =>
          [
            `${mark(health.database.available)} database   ${health.database.version ?? health.database.error ?? ""}`,
            `${mark(health.migrations.current)} migrations ${health.migrations.applied} applied, ${health.migrations.pending.length} pending`,
            `${mark(health.queue.running)} queue      ${health.queue.workers.length} live worker(s)${health.queue.error ? ` (${health.queue.error})` : ""}`,
            `${health.analyzers.bandit.available ? "ok  " : "--  "} bandit     ${health.analyzers.bandit.version ?? health.analyzers.bandit.error ?? "absent"}`,
            `${health.analyzers.codeql.available ? "ok  " : "--  "} codeql     ${health.analyzers.codeql.version ?? health.analyzers.codeql.error ?? "absent"}`,
            `     trainer    ${health.trainer.backends.map((backend) => `${backend.name}${backend.available ? "" : " (absent)"}`).join(", ")}; best: ${health.trainer.best ?? "none"}`,
          ].join("\n"),
        );
      });
    });
}
