// Comparing two frozen versions: which pairs were added, removed, or kept at a different revision/content.
import type { Db } from "../../db/client";
import { VersionError } from "./errors";

export type TVersionItemRef = { pairId: string; pairRevision: number; contentHash: string; split: string };
export type TVersionComparison = {
  a: { id: string; name: string; version: number; contentHash: string };
  b: { id: string; name: string; version: number; contentHash: string };
  added: TVersionItemRef[];
  removed: TVersionItemRef[];
  changed: { pairId: string; from: TVersionItemRef; to: TVersionItemRef }[];
  /** Same pair, same content, but in another split (a re-split with another seed or fractions). */
  resplit: number;
  unchanged: number;
};

/** Pure core: items of version a vs items of version b. */
export function diffVersionItems(a: readonly TVersionItemRef[], b: readonly TVersionItemRef[]) {
  const byPairA = new Map(a.map((item) => [item.pairId, item]));
  const byPairB = new Map(b.map((item) => [item.pairId, item]));
  const added = b.filter((item) => !byPairA.has(item.pairId));
  const removed = a.filter((item) => !byPairB.has(item.pairId));
  const changed: TVersionComparison["changed"] = [];
  let resplit = 0;
  let unchanged = 0;
  for (const from of a) {
    const to = byPairB.get(from.pairId);
    if (!to) continue;
    if (to.pairRevision !== from.pairRevision || to.contentHash !== from.contentHash) changed.push({ pairId: from.pairId, from, to });
    else if (to.split !== from.split) resplit++;
    else unchanged++;
  }
  const byId = (x: { pairId: string }, y: { pairId: string }) => (x.pairId < y.pairId ? -1 : 1);
  return { added: added.sort(byId), removed: removed.sort(byId), changed: changed.sort(byId), resplit, unchanged };
}

export async function compareVersions(db: Db, aId: string, bId: string): Promise<TVersionComparison> {
  const load = async (id: string) => {
    const version = await db.datasetVersion.findUnique({
      where: { id },
      select: { id: true, name: true, version: true, contentHash: true, items: { select: { pairId: true, pairRevision: true, contentHash: true, split: true } } },
    });
    if (!version) throw new VersionError(`no dataset version with id ${id}`, 404);
    return version;
  };
  const [a, b] = await Promise.all([load(aId), load(bId)]);
  const { items: itemsA, ...metaA } = a;
  const { items: itemsB, ...metaB } = b;
  return { a: metaA, b: metaB, ...diffVersionItems(itemsA, itemsB) };
}
