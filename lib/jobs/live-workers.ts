// Which workers are alive, read from their heartbeats. Its own module so the web app (health, jobs page) can ask
// without importing the worker loop, whose handlers pull in TensorFlow.js, Bandit runners and the sandbox.
import type { Db } from "../db/client";

/** A worker not seen for this long counts as gone. */
export const HEARTBEAT_STALE_MS = 30_000;

export async function listLiveWorkers(db: Db) {
  return db.workerHeartbeat.findMany({
    where: { lastSeenAt: { gt: new Date(Date.now() - HEARTBEAT_STALE_MS) } },
    orderBy: { startedAt: "asc" },
  });
}
