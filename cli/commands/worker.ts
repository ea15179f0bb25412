// disco worker --queues train,eval : a long-running worker process. `npm start` runs one; GPU hosts run more
// against the same DATABASE_URL.
import type { Command } from "commander";
import { bestAvailableBackend } from "../../trainer/src/backends";
import { disconnectDb, getDb } from "../../lib/db/client";
import { applyMigrations } from "../../lib/db/migrate";
import { resolveDatabase } from "../../lib/db/resolve-database";
import { stopBoss } from "../../lib/jobs/boss";
import { parseQueues, QUEUES } from "../../lib/jobs/definitions";
import { startWorker } from "../../lib/jobs/worker";
import { parseInput } from "../output";

export function registerWorkerCommand(program: Command): void {
  program
    .command("worker")
    .description("run a background worker until interrupted")
    .option("--queues <names>", `comma-separated queues (${QUEUES.join(",")})`, QUEUES.join(","))
    .action(async (options: { queues: string }) => {
      const queues = parseInput(() => parseQueues(options.queues));
      // A worker never starts its own embedded server: that would fight `npm start` for the data folder.
      const database = await resolveDatabase({ allowStartEmbedded: false });
      process.env.DATABASE_URL = database.url;
      await applyMigrations(database.url);
      let backend: string | null = null;
      try {
        backend = bestAvailableBackend();
      } catch {
        backend = null;
      }
      const worker = await startWorker(getDb(), { queues, backend });
      await new Promise<void>((resolve) => {
        const shutdown = async (signal: string) => {
          console.log(`[worker] ${signal}: finishing the current job, then stopping`);
          await worker.stop();
          await stopBoss({ graceful: true, timeout: 30_000 });
          await disconnectDb();
          resolve();
        };
        process.once("SIGINT", () => void shutdown("SIGINT"));
        process.once("SIGTERM", () => void shutdown("SIGTERM"));
      });
    });
}
