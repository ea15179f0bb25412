// What `GET /api/health` and `disco health` report: database, migrations, queue, workers, analyzers, trainer backends.
// Every probe is independent and never throws, so one broken part cannot hide the state of the others.
import { z } from "zod";
import { detectBackends } from "../../trainer/src/backends";
import { detectBandit } from "../analyzers/bandit";
import { detectCodeql } from "../analyzers/codeql";
import { getDb } from "../db/client";
import { getMigrationStatus } from "../db/migrate";
import { BOSS_SCHEMA } from "../jobs/boss";
import { listLiveWorkers } from "../jobs/live-workers";

export const ZHealthReport = z.object({
  ok: z.boolean(),
  database: z.object({ available: z.boolean(), version: z.string().optional(), error: z.string().optional() }),
  migrations: z.object({ current: z.boolean(), applied: z.number(), pending: z.array(z.string()), error: z.string().optional() }),
  queue: z.object({
    running: z.boolean(),
    workers: z.array(z.object({ id: z.string(), queues: z.array(z.string()), lastSeenAt: z.string() })),
    error: z.string().optional(),
  }),
  analyzers: z.object({
    bandit: z.object({ available: z.boolean(), version: z.string().optional(), error: z.string().optional() }),
    codeql: z.object({ available: z.boolean(), version: z.string().optional(), error: z.string().optional() }),
  }),
  trainer: z.object({
    backends: z.array(z.object({ name: z.string(), available: z.boolean(), version: z.string().optional(), reason: z.string().optional() })),
    best: z.string().nullable(),
  }),
});
export type THealthReport = z.infer<typeof ZHealthReport>;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function getHealth(): Promise<THealthReport> {
  const database: THealthReport["database"] = { available: false };
  const migrations: THealthReport["migrations"] = { current: false, applied: 0, pending: [] };
  const queue: THealthReport["queue"] = { running: false, workers: [] };
  try {
    const db = getDb();
    const rows = await db.$queryRawUnsafe<{ version: string }[]>("select version() as version");
    database.available = true;
    database.version = rows[0]?.version.split(" on ")[0];
    try {
      const status = await getMigrationStatus(process.env.DATABASE_URL!);
      migrations.applied = status.applied.length;
      migrations.pending = status.pending;
      migrations.current = status.pending.length === 0 && status.modified.length === 0;
      if (status.modified.length) migrations.error = `edited after being applied: ${status.modified.join(", ")}`;
    } catch (error) {
      migrations.error = message(error);
    }
    try {
      const installed = await db.$queryRawUnsafe<{ exists: boolean }[]>(
        `select exists (select 1 from information_schema.tables where table_schema = $1 and table_name = 'job') as exists`,
        BOSS_SCHEMA,
      );
      const workers = await listLiveWorkers(db);
      queue.workers = workers.map((worker) => ({ id: worker.id, queues: worker.queues, lastSeenAt: worker.lastSeenAt.toISOString() }));
      queue.running = Boolean(installed[0]?.exists) && workers.length > 0;
      if (!installed[0]?.exists) queue.error = "job queue tables not installed (no worker has started yet)";
      else if (workers.length === 0) queue.error = "no live worker: start one with `npm run worker`";
    } catch (error) {
      queue.error = message(error);
    }
  } catch (error) {
    database.error = message(error);
  }
  const [bandit, codeql] = await Promise.all([
    detectBandit().catch((error) => ({ available: false, error: message(error) })),
    detectCodeql().catch((error) => ({ available: false, error: message(error) })),
  ]);
  const backends = detectBackends().map(({ name, available, version, reason }) => ({ name, available, version, reason }));
  return ZHealthReport.parse({
    ok: database.available && migrations.current && queue.running,
    database,
    migrations,
    queue,
    analyzers: { bandit, codeql },
    trainer: { backends, best: backends.find((backend) => backend.available)?.name ?? null },
  });
}
