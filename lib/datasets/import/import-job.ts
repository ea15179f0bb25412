// The "import.pairs" job: imports a file already on the server (an upload under .data/uploads), reporting progress
// while inserting, then queues "analyze.pairs" for the new pairs so findings and masks follow without a second click.
import fs from "node:fs/promises";
import path from "node:path";
import type { Db } from "../../db/client";
import { enqueueJob } from "../../jobs/enqueue";
import { projectRoot } from "../../project-root";
import { importPairs, type TImportReport } from "./import-pairs";
import type { TImportPairsPayload } from "./import-payload";

/** Where uploads wait for their import job; the job removes its file once the import succeeded. */
export function uploadsDir(): string {
  return path.join(projectRoot(), ".data", "uploads");
}

/** analyze.pairs accepts at most this many pair ids; larger imports analyze the whole dataset instead. */
const MAX_ANALYZE_IDS = 100_000;



export type TImportJobResult = TImportReport & { analyzeJobId: string | null };

export async function runImportPairsJob(
  db: Db,
  payload: TImportPairsPayload,
  context: { reportProgress: (done: number, total?: number | null, message?: string) => Promise<void> },
): Promise<TImportJobResult> {
  const { insertedPairIds, ...report } = await importPairs(db, {
    datasetName: payload.datasetName,
    format: payload.format,
    filePath: payload.filePath,
    fileName: payload.fileName,
    createdById: payload.createdById ?? null,
    onProgress: (done, total) => context.reportProgress(done, total, `${done} of ${total} valid rows written`),
  });
  let analyzeJobId: string | null = null;
  if (payload.analyze && insertedPairIds.length > 0) {
    analyzeJobId = await enqueueJob(
      db,
      "analyze.pairs",
      insertedPairIds.length <= MAX_ANALYZE_IDS ? { pairIds: insertedPairIds } : { datasetId: report.datasetId },
      { createdById: payload.createdById ?? null },
    );
  }
  await context.reportProgress(
    report.total - report.invalidCount,
    report.total - report.invalidCount,
    `${report.inserted} inserted, ${report.duplicates} already present, ${report.invalidCount} invalid`,
  );
  // Only after success: a failed attempt is retried and needs the file again.
  if (payload.removeFileAfter && path.resolve(payload.filePath).startsWith(uploadsDir() + path.sep)) await fs.rm(payload.filePath, { force: true });
  return { ...report, analyzeJobId };
}
