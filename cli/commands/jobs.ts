// disco jobs list|show|cancel|selftest
import type { Command } from "commander";
import { getDb } from "../../lib/db/client";
import { cancelJob, enqueueJob, getJob, listRecentJobs } from "../../lib/jobs/enqueue";
import { CliError, printResult, table } from "../output";
import { withDatabase } from "../with-database";

export function registerJobsCommands(program: Command): void {
  const jobs = program.command("jobs").description("background jobs");

  jobs
    .command("list")
    .description("recent jobs with their progress")
    .option("--limit <n>", "how many", "50")
    .option("--json", "print JSON")
    .action(async (options: { limit: string; json?: boolean }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new CliError(`--limit must be a positive integer, got "${options.limit}"`);
      await withDatabase(async () => {
        const rows = await listRecentJobs(getDb(), limit);
        printResult(options, rows, () =>
          table(
            rows.map((row) => ({ ...row, progress: row.total ? `${row.done}/${row.total}` : String(row.done), created: row.createdAt.toISOString() })),
            ["jobId", "queue", "label", "progress", "message", "created"],
          ),
        );
      });
    });

  jobs
    .command("show <id>")
    .description("one job's state and progress")
    .option("--json", "print JSON")
    .action(async (id: string, options: { json?: boolean }) => {
      await withDatabase(async () => {
        const job = await getJob(getDb(), id);
        if (!job) throw new CliError(`No job with id ${id}`);
        printResult(options, job, () => `${job.label}: ${job.state}, ${job.done}${job.total ? `/${job.total}` : ""}${job.message ? ` (${job.message})` : ""}`);
      });
    });

  jobs
    .command("cancel <id>")
    .description("cancel a queued or running job")
    .option("--json", "print JSON")
    .action(async (id: string, options: { json?: boolean }) => {
      await withDatabase(async () => {
        await cancelJob(getDb(), id);
        printResult(options, { cancelled: id }, () => `cancelled ${id}`);
      });
    });

  jobs
    .command("selftest")
    .description("enqueue a small counting job on the maintenance queue (a running worker picks it up)")
    .option("--steps <n>", "steps to count", "5")
    .option("--json", "print JSON")
    .action(async (options: { steps: string; json?: boolean }) => {
      const steps = Number(options.steps);
      if (!Number.isInteger(steps) || steps < 1 || steps > 10_000) throw new CliError(`--steps must be an integer from 1 to 10000, got "${options.steps}"`);
      await withDatabase(async () => {
        const id = await enqueueJob(getDb(), "maintenance.count", { steps, stepMs: 200 });
        printResult(options, { id }, () => `queued ${id}`);
      });
    });
}
