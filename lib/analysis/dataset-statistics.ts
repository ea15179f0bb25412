// Table 6-style statistics of a stored dataset (current revision of each pair), computed with one tokenizer and
// stored so pages can show them without recomputing.
import type { Db } from "../db/client";
import { computeDatasetStats, type DatasetStats } from "../masks/dataset-stats";
import { loadTokenizer } from "../tokenizers/registry";

export async function computeAndStoreDatasetStatistics(db: Db, datasetId: string, tokenizerId: string): Promise<DatasetStats> {
  const tokenizer = await loadTokenizer(tokenizerId);
  const pairs = await db.pair.findMany({ where: { datasetId }, select: { insecureCode: true, secureCode: true } });
  const statistics = computeDatasetStats(
    pairs.map((pair) => ({ insecure: pair.insecureCode, secure: pair.secureCode })),
    tokenizer,
  );
  await db.datasetStatistics.upsert({
    where: { datasetId_tokenizerId: { datasetId, tokenizerId: tokenizer.id } },
    create: { datasetId, tokenizerId: tokenizer.id, statistics },
    update: { statistics, computedAt: new Date() },
  });
  return statistics;
}
