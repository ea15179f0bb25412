// Imports a file of pairs into a dataset: parse and validate every row, insert the good ones as pairs with revision 1
// in chunks, and count what was new, what was already there (same content hash in the dataset) and what was invalid.
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { recordAudit } from "../../audit/record-audit";
import type { Db } from "../../db/client";
import { pairContentHash } from "../../pairs/content-hash";
import { detectImportFormat, SOURCE_BY_FORMAT, type TImportFormat } from "./formats";
import { ImportFileError, parsePairs, type TInvalidRow } from "./parse-pairs";

/** Rows per insert: large enough to be fast, small enough that one statement stays well under PostgreSQL's parameter limit. */
const CHUNK_SIZE = 500;
/** The report lists at most this many invalid rows (invalidCount has them all), so a broken 100k-row file stays readable. */
export const MAX_REPORTED_INVALID = 1_000;

export type TImportReport = {
  datasetId: string;
  datasetName: string;
  format: TImportFormat;
  total: number;
  inserted: number;
  duplicates: number;
  invalidCount: number;
  invalid: TInvalidRow[];
};

export type TImportInput = {
  datasetName?: string;
  datasetId?: string;
  format?: TImportFormat;
  /** A file on this machine; or `content` with a `fileName` for detection. */
  filePath?: string;
  content?: string;
  fileName?: string;
  createdById?: string | null;
  onProgress?: (done: number, total: number) => Promise<void> | void;
};

async function readContent(input: TImportInput): Promise<{ content: string; fileName: string }> {
  if (input.content !== undefined) return { content: input.content, fileName: input.fileName ?? "upload" };
  if (!input.filePath) throw new ImportFileError("nothing to import: give a file path or the content");
  try {
    return { content: await fs.readFile(input.filePath, "utf8"), fileName: input.fileName ?? path.basename(input.filePath) };
  } catch (error) {
    throw new ImportFileError(`cannot read ${input.filePath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

async function resolveDataset(db: Db, input: TImportInput): Promise<{ id: string; name: string }> {
  if (input.datasetId) {
    const dataset = await db.dataset.findUnique({ where: { id: input.datasetId }, select: { id: true, name: true } });
    if (!dataset) throw new ImportFileError(`no dataset with id ${input.datasetId}`);
    return dataset;
  }
  const name = input.datasetName?.trim();
  if (!name) throw new ImportFileError("a dataset name or id is required");
  // upsert: two imports into a new dataset at once must not fail on the unique name.
  return db.dataset.upsert({ where: { name }, create: { name, createdById: input.createdById ?? null }, update: {}, select: { id: true, name: true } });
}

export async function importPairs(db: Db, input: TImportInput): Promise<TImportReport & { insertedPairIds: string[] }> {
  const { content, fileName } = await readContent(input);
  const format = input.format ?? detectImportFormat(fileName, content);
  // Parse before touching the database, so a file that cannot be read at all creates no dataset.
  const parsed = parsePairs(content, format);
  const dataset = await resolveDataset(db, input);
  const source = SOURCE_BY_FORMAT[format];

  const cweIds = [...new Set(parsed.rows.map((row) => row.pair.cweId).filter((id): id is string => Boolean(id)))];
  // Link each pair to its knowledge-base entry when there is one (the CWE catalogue's entry first).
  const entries = cweIds.length
    ? await db.knowledgeEntry.findMany({ where: { cweId: { in: cweIds } }, select: { id: true, cweId: true, source: true }, orderBy: { createdAt: "asc" } })
    : [];
  const entryByCwe = new Map<string, string>();
  for (const entry of [...entries].sort((a, b) => Number(b.source === "CWE") - Number(a.source === "CWE"))) if (!entryByCwe.has(entry.cweId)) entryByCwe.set(entry.cweId, entry.id);

  const insertedPairIds: string[] = [];
  let duplicates = 0;
  await input.onProgress?.(0, parsed.rows.length);
  for (let start = 0; start < parsed.rows.length; start += CHUNK_SIZE) {
    const chunk = parsed.rows.slice(start, start + CHUNK_SIZE).map(({ pair, line }) => ({
      id: crypto.randomUUID(),
      line,
      pair,
      contentHash: pairContentHash(pair),
    }));
    const inserted = await db.$transaction(async (tx) => {
      const created = await tx.pair.createManyAndReturn({
        data: chunk.map(({ id, pair, contentHash }) => ({
          id,
          datasetId: dataset.id,
          ...pair,
          entryId: pair.cweId ? (entryByCwe.get(pair.cweId) ?? null) : null,
          source,
          contentHash,
        })),
        skipDuplicates: true,
        select: { id: true },
      });
      const createdIds = new Set(created.map((row) => row.id));
      const revisions = chunk.filter(({ id }) => createdIds.has(id));
      await tx.pairRevision.createMany({
        data: revisions.map(({ id, line, pair, contentHash }) => ({
          pairId: id,
          revision: 1,
          instruction: pair.instruction,
          insecureCode: pair.insecureCode,
          secureCode: pair.secureCode,
          reasonInsecure: pair.reasonInsecure,
          reasonSecure: pair.reasonSecure,
          reasoning: pair.reasoning,
          cweId: pair.cweId,
          contentHash,
          editedById: input.createdById ?? null,
          note: `imported from ${fileName} (${format}, line ${line})`,
        })),
      });
      return revisions.map(({ id }) => id);
    });
    insertedPairIds.push(...inserted);
    duplicates += chunk.length - inserted.length;
    await input.onProgress?.(Math.min(start + CHUNK_SIZE, parsed.rows.length), parsed.rows.length);
  }

  const report: TImportReport = {
    datasetId: dataset.id,
    datasetName: dataset.name,
    format,
    total: parsed.total,
    inserted: insertedPairIds.length,
    duplicates,
    invalidCount: parsed.invalid.length,
    invalid: parsed.invalid.slice(0, MAX_REPORTED_INVALID),
  };
  await recordAudit(db, {
    actorId: input.createdById ?? null,
    action: "dataset.import",
    entityType: "dataset",
    entityId: dataset.id,
    detail: { fileName, format, total: report.total, inserted: report.inserted, duplicates, invalid: report.invalidCount },
  });
  return { ...report, insertedPairIds };
}
