// Imports a knowledge-base file into knowledge_entries. Idempotent on (source, CWE, title): a re-import updates changed
// rows and creates no duplicates. Bad rows are reported with their line and skipped; the good rows are written in one
// transaction, so a failure part-way (database error, lost connection) leaves nothing half-written.
import fs from "node:fs/promises";
import type { Db } from "../db/client";
import { parseKnowledgeFile, type TKbFormat, type TKbInvalidRow, type TKbSource } from "./parse-kb";

export type TKbImportReport = {
  format: TKbFormat;
  source: TKbSource;
  /** Data records in the file. */
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  invalidCount: number;
  /** The first 200 bad rows with their file lines. */
  invalid: TKbInvalidRow[];
};

export type TKbImportInput = { content: string; format?: TKbFormat; source?: TKbSource; fileName?: string; userId?: string | null };

const REPORTED_INVALID = 200;

export async function importKnowledgeBase(db: Db, input: TKbImportInput): Promise<TKbImportReport> {
  const parsed = parseKnowledgeFile(input.content, { format: input.format, source: input.source, fileName: input.fileName });
  const { source } = parsed;
  let created = 0;
  let updated = 0;
  let unchanged = 0;

  await db.$transaction(
    async (tx) => {
      const existing = await tx.knowledgeEntry.findMany({
        where: { source, cweId: { in: [...new Set(parsed.rows.map((r) => r.entry.cweId))] } },
        select: { id: true, cweId: true, title: true, description: true, examples: true },
      });
      const byKey = new Map(existing.map((e) => [`${e.cweId}\u0000${e.title}`, e]));
      const toCreate = [];
      for (const { entry } of parsed.rows) {
        const found = byKey.get(`${entry.cweId}\u0000${entry.title}`);
        if (!found) {
          toCreate.push(entry);
        } else if (found.description !== entry.description || found.examples !== entry.examples) {
          await tx.knowledgeEntry.update({ where: { id: found.id }, data: { description: entry.description, examples: entry.examples } });
          updated++;
        } else {
          unchanged++;
        }
      }
      // skipDuplicates is not used on purpose: a concurrent import of the same file should fail and roll back, not
      // silently report rows as created that another transaction wrote.
      if (toCreate.length) created = (await tx.knowledgeEntry.createMany({ data: toCreate })).count;
      if (created + updated > 0) {
        await tx.auditLog.create({
          data: {
            actorId: input.userId ?? null,
            action: "kb.import",
            entityType: "knowledge_entry",
            detail: { format: parsed.format, source, fileName: input.fileName ?? null, total: parsed.total, created, updated, unchanged, invalid: parsed.invalid.length },
          },
        });
      }
    },
    { timeout: 120_000, maxWait: 10_000 },
  );

  return {
    format: parsed.format,
    source,
    total: parsed.total,
    created,
    updated,
    unchanged,
    invalidCount: parsed.invalid.length,
    invalid: parsed.invalid.slice(0, REPORTED_INVALID),
  };
}

export async function importKnowledgeFile(db: Db, filePath: string, options: Omit<TKbImportInput, "content" | "fileName"> = {}): Promise<TKbImportReport> {
  const content = await fs.readFile(filePath, "utf8");
  return importKnowledgeBase(db, { ...options, content, fileName: filePath });
}
