// The content hash of a dataset version: sha256 over its sorted (pairId, revision content hash, split) triples, so two
// freezes of the same pair revisions with the same split have the same hash whatever order or name they were given.
import crypto from "node:crypto";

export type VersionHashItem = { pairId: string; contentHash: string; split: string };

export function versionContentHash(items: readonly VersionHashItem[]): string {
  const triples = items.map((item) => [item.pairId, item.contentHash, item.split]).sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  return crypto.createHash("sha256").update(JSON.stringify(triples)).digest("hex");
}
