// One process trains a run at a time. The worker holding a run keeps a PostgreSQL advisory lock on its own
// connection for as long as it trains; if the process dies (kill -9, crash, lost machine) its connection closes and
// PostgreSQL drops the lock, so "RUNNING but nobody holds the lock" reliably means "orphaned, safe to resume".
import pg from "pg";
import type { Db } from "../db/client";
import { databaseUrl } from "../db/client";

/** Advisory locks take two int4 keys; the first names our use, the second the run. */
const RUN_LOCK_CLASS = 0x7472; // "tr"

export function runLockKey(runId: string): number {
  // FNV-1a over the id, kept positive so it reads back unchanged from pg_locks.objid.
  let hash = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) {
    hash ^= runId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash & 0x7fffffff;
}

export type RunLock = { release: () => Promise<void> };

/** The lock, or null when another live process holds it. */
export async function tryLockRun(runId: string): Promise<RunLock | null> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  // A lost database connection would drop the lock silently; crash loudly instead of training unguarded.
  client.on("error", (error) => console.error(`[train] run lock connection for ${runId} failed: ${error.message}`));
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1::int, $2::int) AS locked", [RUN_LOCK_CLASS, runLockKey(runId)]);
    if (!rows[0]?.locked) {
      await client.end();
      return null;
    }
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return { release: () => client.end().catch(() => {}) };
}

/** Whether some live process is training the run right now. */
export async function isRunLocked(db: Db, runId: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ held: bigint }[]>`
    SELECT count(*) AS held FROM pg_locks
    WHERE locktype = 'advisory' AND classid = ${RUN_LOCK_CLASS}::int::oid AND objid = ${runLockKey(runId)}::int::oid AND objsubid = 2 AND granted`;
  return Number(rows[0]?.held ?? 0) > 0;
}
