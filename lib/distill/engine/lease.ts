// One runner per distillation job at a time, and a way back after a killed worker. pg-boss 10 only notices a dead
// worker when the job's expiry (hours for distill jobs) passes, so the engine keeps its own short lease: the runner
// renews it every few seconds. Beside it runs a watchdog chain: one delayed "distill.run" (watchdog) job at a time,
// each link queueing the next. A link that finds the lease live queues the next link for just after the lease would
// lapse and ends; a link that finds it lapsed (the worker died) queues the next link and takes over as the runner,
// continuing the job from what is stored. The chain ends when the job is paused, cancelled or finished; resuming
// starts a new chain (its id in the config), so an old link still queued ends at once instead of doubling the chain.
// The lease and the chain id live in the job's config JSON ("lease", "watchdogChain"), so taking the lease is a single
// conditional UPDATE and needs no extra table.
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

export async function leaseState(db: Db, jobId: string): Promise<{ owner: string | null; remainingMs: number; chain: string | null }> {
  const rows = await db.$queryRaw<{ owner: string | null; remaining: number | null; chain: string | null }[]>`
    select config->'lease'->>'owner' as owner,
           (extract(epoch from ((config->'lease'->>'until')::timestamptz - now())) * 1000)::float8 as remaining,
           config->>'watchdogChain' as chain
      from distillation_jobs where id = ${jobId}::uuid`;
  const row = rows[0];
  return { owner: row?.owner ?? null, remainingMs: Math.max(0, row?.remaining ?? 0), chain: row?.chain ?? null };
}

export async function setWatchdogChain(db: Db, jobId: string, chain: string): Promise<void> {
  await db.$executeRaw`update distillation_jobs set config = jsonb_set(config::jsonb, '{watchdogChain}', to_jsonb(${chain}::text)) where id = ${jobId}::uuid`;
}

export async function readLease(db: Db, jobId: string): Promise<TLease | null> {
  const rows = await db.$queryRaw<{ lease: TLease | null }[]>`select config->'lease' as lease from distillation_jobs where id = ${jobId}::uuid`;
  return rows[0]?.lease ?? null;
}
