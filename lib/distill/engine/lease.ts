// One runner per distillation job at a time, and a way back after a killed worker. pg-boss 10 only notices a dead
// worker when the job's expiry (hours for distill jobs) passes, so the engine keeps its own short lease: the runner
// renews it every few seconds and keeps one delayed "watchdog" run of the same job queued. If the worker dies, the
// lease lapses; the watchdog (taken by any live worker on the distill queue) finds it expired, takes it over and
// continues the job. While the runner lives, a watchdog finds the lease held and ends at once.
// The lease lives in the job's config JSON under "lease" (owner = the pg-boss job id of the runner), so taking it is
// a single conditional UPDATE and needs no extra table.
import type { Db } from "../../db/client";

export type TLease = { owner: string; until: string };

export function leaseTimings(): { leaseMs: number; watchdogSeconds: number; renewMs: number } {
  // Tests shorten these through the environment of the worker they spawn; the defaults suit real runs.
  const leaseSeconds = Number(process.env.DISCO_DISTILL_LEASE_SECONDS ?? 60);
  const leaseMs = Math.max(2, Number.isFinite(leaseSeconds) ? leaseSeconds : 60) * 1000;
  return { leaseMs, watchdogSeconds: Math.max(1, Math.round((leaseMs / 1000) * 0.75)), renewMs: Math.max(500, Math.round(leaseMs / 4)) };
}

/**
 * Takes the lease when it is free, expired or already ours. Returns the previous owner (null when none or ours), or
 * `false` when someone else holds a live lease.
 */
export async function acquireLease(db: Db, jobId: string, owner: string, leaseMs: number): Promise<{ previousOwner: string | null } | false> {
  const rows = await db.$queryRaw<{ previous: string | null }[]>`
    with before as (select config->'lease'->>'owner' as previous from distillation_jobs where id = ${jobId}::uuid)
    update distillation_jobs
       set config = jsonb_set(config::jsonb, '{lease}', jsonb_build_object('owner', ${owner}::text, 'until', to_char((now() + make_interval(secs => ${leaseMs / 1000}::float8)) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
     where id = ${jobId}::uuid
       and (config->'lease' is null
            or config->'lease'->>'owner' = ${owner}
            or (config->'lease'->>'until')::timestamptz < now())
    returning (select previous from before)`;
  if (rows.length === 0) return false;
  const previous = rows[0]!.previous;
  return { previousOwner: previous && previous !== owner ? previous : null };
}

/** Extends our lease; false when it was taken over meanwhile (we were too slow to renew), so the runner must stop. */
export async function renewLease(db: Db, jobId: string, owner: string, leaseMs: number): Promise<boolean> {
  const result = await acquireLease(db, jobId, owner, leaseMs);
  return result !== false && result.previousOwner === null;
}

export async function releaseLease(db: Db, jobId: string, owner: string): Promise<void> {
  await db.$executeRaw`
    update distillation_jobs set config = (config::jsonb - 'lease')
     where id = ${jobId}::uuid and config->'lease'->>'owner' = ${owner}`;
}

export async function readLease(db: Db, jobId: string): Promise<TLease | null> {
  const rows = await db.$queryRaw<{ lease: TLease | null }[]>`select config->'lease' as lease from distillation_jobs where id = ${jobId}::uuid`;
  return rows[0]?.lease ?? null;
}
