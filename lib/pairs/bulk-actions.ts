// Actions on every pair a list filter selects (the /pairs page's current filter): tag them, accept those whose
// analysis found nothing (a decision per pair by the acting user, as if they had pressed `a` on each), or queue
// them for re-analysis. Each action is audited once with its filter and count.
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { enqueueJob } from "../jobs/enqueue";
import { buildPairFilter, ZListPairsQuery, type TListPairsQuery } from "./list-pairs";
import { recordDecision } from "./record-decision";

/** One request decides at most this many pairs, so it finishes within an HTTP request; run it again for the rest. */
export const BULK_ACCEPT_LIMIT = 1_000;
const SELECTION_LIMIT = 100_000;

export const ZBulkAction = z.discriminatedUnion("action", [
  z.object({ action: z.literal("tag"), tag: z.string().trim().min(1, "a tag cannot be empty").max(60).regex(/^[\w:.-]+$/, "a tag is letters, digits and _ : . -"), filter: ZListPairsQuery.partial() }),
  z.object({ action: z.literal("accept-clean"), filter: ZListPairsQuery.partial() }),
  z.object({ action: z.literal("reanalyze"), filter: ZListPairsQuery.partial() }),
]);
export type TBulkAction = z.infer<typeof ZBulkAction>;

async function selectPairIds(db: Db, filter: TListPairsQuery, extra = "", limit = SELECTION_LIMIT): Promise<string[]> {
  const { where, values } = buildPairFilter(ZListPairsQuery.parse(filter));
  const clause = [where, extra ? `${where ? "and" : "where"} ${extra}` : ""].join(" ");
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(`select p.id from pairs p ${clause} order by p.id limit ${limit}`, ...values);
  return rows.map((row) => row.id);
}

export async function runBulkAction(db: Db, userId: string, input: TBulkAction) {
  const action = ZBulkAction.parse(input);
  if (action.action === "tag") {
    const ids = await selectPairIds(db, action.filter);
    const updated = ids.length
      ? await db.$executeRawUnsafe(`update pairs set tags = array_append(tags, $1) where id = any($2::uuid[]) and not ($1 = any(tags))`, action.tag, ids)
      : 0;
    await recordAudit(db, { actorId: userId, action: "pair.bulk-tag", entityType: "pair", detail: { tag: action.tag, filter: action.filter, selected: ids.length, updated } });
    return { action: action.action, selected: ids.length, changed: updated, message: `Tagged ${updated} pairs "${action.tag}" (${ids.length - updated} already had it).` };
  }
  if (action.action === "accept-clean") {
    // Clean = analyzed, secure side without findings, both sides parse; pairs this user already accepted are skipped.
    const extra = `p."secureFlagged" is false and p."insecureParseError" is null and p."secureParseError" is null
      and not exists (select 1 from reviews r where r."pairId" = p.id and r."reviewerId" = '${z.uuid().parse(userId)}'::uuid and r.revision = p.revision and r.decision = 'ACCEPT' and not r."isResolution")`;
    const ids = await selectPairIds(db, action.filter, extra, BULK_ACCEPT_LIMIT + 1);
    const batch = ids.slice(0, BULK_ACCEPT_LIMIT);
    let accepted = 0;
    for (const pairId of batch) {
      const pair = await db.pair.findUnique({ where: { id: pairId }, select: { revision: true } });
      if (!pair) continue;
      await recordDecision(db, { pairId, userId, decision: "ACCEPT", revision: pair.revision });
      accepted++;
    }
    await recordAudit(db, { actorId: userId, action: "pair.bulk-accept", entityType: "pair", detail: { filter: action.filter, accepted } });
    const more = ids.length > BULK_ACCEPT_LIMIT;
    return { action: action.action, selected: accepted, changed: accepted, message: `Accepted ${accepted} pairs with no findings.${more ? " More remain: run it again." : ""}` };
  }
  const ids = await selectPairIds(db, action.filter);
  if (ids.length === 0) return { action: action.action, selected: 0, changed: 0, message: "No pairs match the filter." };
  const jobId = await enqueueJob(db, "analyze.pairs", { pairIds: ids }, { createdById: userId });
  await recordAudit(db, { actorId: userId, action: "pair.bulk-reanalyze", entityType: "pair", detail: { filter: action.filter, selected: ids.length, jobId } });
  return { action: action.action, selected: ids.length, changed: 0, jobId, message: `Queued ${ids.length} pairs for re-analysis (job ${jobId}).` };
}
