// Test helper: a throwaway dataset of generated pairs (made by the pairs domain's helper) and a cleanup that removes
// exactly it, including frozen versions (whose items only an explicit, flagged transaction may delete).
import crypto from "node:crypto";
import { getDb } from "../../db/client";
import { pairContentHash } from "../../pairs/content-hash";
import { createTestDataset as createPairsTestDataset } from "../../pairs/test-pairs";

type PairSpec = { cweId?: string | null; status?: "UNREVIEWED" | "IN_REVIEW" | "ACCEPTED" | "REJECTED" | "CONFLICT"; source?: string; secureFlagged?: boolean | null };

export async function createTestDataset(specs: PairSpec[], options: { reviewsRequired?: number } = {}) {
  const db = getDb();
  const tag = crypto.randomBytes(4).toString("hex");
  const name = `test-dataset-${tag}`;
  const base = await createPairsTestDataset(name, options.reviewsRequired ?? 1);
  const dataset = { id: base.id, name };
  const pairIds: string[] = [];
  for (const [index, spec] of specs.entries()) {
    const pair = await base.pair({
      instruction: `task ${tag} ${index}`,
      insecureCode: `eval(x${index})`,
      secureCode: `int(x${index})`,
      cweId: spec.cweId === undefined ? "CWE-95" : spec.cweId,
      source: spec.source,
      status: spec.status,
      secureFlagged: spec.secureFlagged,
    });
    pairIds.push(pair.id);
  }
  return {
    ...dataset,
    pairIds,
    /** Simulates an edit: a new revision with new content becomes the pair's current one. */
    async editPair(pairId: string, secureCode: string) {
      const pair = await db.pair.findUniqueOrThrow({ where: { id: pairId } });
      const content = { instruction: pair.instruction, insecureCode: pair.insecureCode, secureCode, reasonInsecure: pair.reasonInsecure, reasonSecure: pair.reasonSecure, reasoning: pair.reasoning, cweId: pair.cweId };
      const contentHash = pairContentHash(content);
      await db.pair.update({ where: { id: pairId }, data: { secureCode, contentHash, revision: pair.revision + 1, revisions: { create: { revision: pair.revision + 1, ...content, contentHash } } } });
    },
    async cleanup() {
      await db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('disco.allow_version_delete', 'on', true)`;
        const versions = await tx.datasetVersion.findMany({ where: { datasetId: dataset.id }, select: { id: true } });
        await tx.datasetVersionItem.deleteMany({ where: { versionId: { in: versions.map((v) => v.id) } } });
        await tx.auditLog.deleteMany({ where: { OR: [{ entityId: { in: [dataset.id, ...pairIds, ...versions.map((v) => v.id)] } }] } });
        await tx.datasetVersion.deleteMany({ where: { datasetId: dataset.id } });
        await tx.pair.deleteMany({ where: { datasetId: dataset.id } });
        await tx.dataset.delete({ where: { id: dataset.id } });
      });
    },
  };
}
