// Test helpers for the pairs domain: a throwaway dataset with pairs whose revision 1 is stored like the importers
// store it. Removing the dataset removes its pairs, revisions, findings, masks, reviews and comments (cascades).
import { getDb } from "../db/client";
import { pairContentHash } from "./content-hash";

export type TTestPairInput = {
  instruction: string;
  insecureCode: string;
  secureCode: string;
  cweId?: string | null;
  packageName?: string | null;
  source?: string;
  status?: "UNREVIEWED" | "IN_REVIEW" | "ACCEPTED" | "REJECTED" | "CONFLICT";
  secureFlagged?: boolean | null;
  createdAt?: Date;
};

export async function createTestDataset(name: string, reviewsRequired = 1) {
  const db = getDb();
  const dataset = await db.dataset.create({ data: { name, reviewsRequired } });
  return {
    id: dataset.id,
    async pair(input: TTestPairInput) {
      const content = { instruction: input.instruction, insecureCode: input.insecureCode, secureCode: input.secureCode, cweId: input.cweId ?? null };
      const contentHash = pairContentHash(content);
      return db.pair.create({
        data: {
          datasetId: dataset.id,
          ...content,
          packageName: input.packageName ?? null,
          source: input.source ?? "test",
          status: input.status ?? "UNREVIEWED",
          secureFlagged: input.secureFlagged ?? null,
          contentHash,
          ...(input.createdAt ? { createdAt: input.createdAt } : {}),
          revisions: { create: { revision: 1, ...content, reasonInsecure: "", reasonSecure: "", reasoning: "", contentHash } },
        },
      });
    },
    async remove() {
      const pairs = await db.pair.findMany({ where: { datasetId: dataset.id }, select: { id: true } });
      await db.auditLog.deleteMany({ where: { entityType: "pair", entityId: { in: pairs.map((pair) => pair.id) } } });
      await db.dataset.delete({ where: { id: dataset.id } });
    },
  };
}
