// The one pg-boss instance per process. pg-boss keeps jobs in PostgreSQL (schema "pgboss"), so jobs survive restarts
// and any worker on any machine with the same DATABASE_URL can take them.
import PgBoss from "pg-boss";
import { databaseUrl } from "../db/client";
import { QUEUES, type TQueue } from "./definitions";

const globalForBoss = globalThis as unknown as { discoBoss?: Promise<PgBoss> };

/** Retry policy per queue: transient failures (a dropped connection, a 5xx from an LLM) are retried with exponential backoff. */
const QUEUE_POLICY: Record<TQueue, { retryLimit: number; retryDelay: number; expireInSeconds: number }> = {
  maintenance: { retryLimit: 3, retryDelay: 5, expireInSeconds: 15 * 60 },
  import: { retryLimit: 2, retryDelay: 10, expireInSeconds: 2 * 3600 },
  analyze: { retryLimit: 3, retryDelay: 10, expireInSeconds: 4 * 3600 },
  distill: { retryLimit: 5, retryDelay: 30, expireInSeconds: 23 * 3600 },
  train: { retryLimit: 2, retryDelay: 30, expireInSeconds: 23 * 3600 },
  eval: { retryLimit: 2, retryDelay: 30, expireInSeconds: 12 * 3600 },
};

export const BOSS_SCHEMA = "pgboss";

async function startBoss(): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: databaseUrl(), schema: BOSS_SCHEMA, max: 4 });
  boss.on("error", (error) => console.error("[queue]", error.message));
  await boss.start();
  for (const name of QUEUES) {
    const existing = await boss.getQueue(name);
    const policy = { ...QUEUE_POLICY[name], retryBackoff: true };
    if (!existing) await boss.createQueue(name, { name, ...policy });
  }
  return boss;
}

export function getBoss(): Promise<PgBoss> {
  if (!globalForBoss.discoBoss) {
    globalForBoss.discoBoss = startBoss().catch((error) => {
      globalForBoss.discoBoss = undefined;
      throw error;
    });
  }
  return globalForBoss.discoBoss;
}

export async function stopBoss(options: { graceful?: boolean; timeout?: number } = {}): Promise<void> {
  const pending = globalForBoss.discoBoss;
  globalForBoss.discoBoss = undefined;
  if (pending) await (await pending).stop({ graceful: options.graceful ?? true, timeout: options.timeout ?? 10_000, wait: true });
}
