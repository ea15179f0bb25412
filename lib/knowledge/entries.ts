// Knowledge-base entries and packages: validated create/update/delete used by the API, the CLI and tests.
// An entry or package that prompts or pairs already use is never deleted: the pairs would lose where they came from
// and the distillation prompts (ON DELETE RESTRICT) could not be kept consistent.
import { z } from "zod";
import { InvalidCweError, normalizeCwe } from "../analyzers/cwe";
import type { Db } from "../db/client";
import { KB_LIMITS, ZKbSource } from "./parse-kb";

export class KbError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "KbError";
  }
}

export const ZCweId = z
  .string({ error: "CWE id is required" })
  .trim()
  .transform((value, ctx) => {
    try {
      return normalizeCwe(value);
    } catch (error) {
      if (!(error instanceof InvalidCweError)) throw error;
      ctx.addIssue({ code: "custom", message: `not a CWE id: ${JSON.stringify(value)} (expected e.g. "CWE-78")` });
      return z.NEVER;
    }
  });

export const ZKnowledgeEntryInput = z.object({
  cweId: ZCweId,
  title: z.string().trim().min(1, "title is required").max(KB_LIMITS.title, `title is at most ${KB_LIMITS.title} characters`),
  description: z.string().trim().min(1, "description is required").max(KB_LIMITS.description, `description is at most ${KB_LIMITS.description} characters`),
  examples: z
    .string()
    .max(KB_LIMITS.examples, `examples are at most ${KB_LIMITS.examples} characters`)
    .nullable()
    .optional()
    .transform((value) => (value && value.trim() ? value.replace(/\r\n/g, "\n").trimEnd() : null)),
  source: ZKbSource.default("CUSTOM"),
});
export type TKnowledgeEntryInput = z.input<typeof ZKnowledgeEntryInput>;

export const ZPackageInput = z.object({
  // PyPI/stdlib names: letters, digits, '.', '_' and '-' ("os", "xml.etree", "python-jose").
  name: z
    .string()
    .trim()
    .min(1, "package name is required")
    .max(100, "package name is at most 100 characters")
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "package name may use letters, digits, '.', '_' and '-'"),
  description: z
    .string()
    .max(2000, "description is at most 2,000 characters")
    .nullable()
    .optional()
    .transform((value) => (value && value.trim() ? value.trim() : null)),
});
export type TPackageInput = z.input<typeof ZPackageInput>;

export type TKnowledgeEntryRow = {
  id: string;
  cweId: string;
  title: string;
  description: string;
  examples: string | null;
  source: "CWE" | "CODEQL" | "BANDIT" | "CUSTOM";
  createdAt: Date;
  updatedAt: Date;
  pairCount: number;
  promptCount: number;
};

export const ZEntryQuery = z.object({
  q: z.string().trim().max(200).optional(),
  source: z.union([z.literal(""), ZKbSource]).optional(),
  cwe: z.string().trim().max(20).optional(),
  take: z.coerce.number().int().min(1).max(2000).default(500),
  skip: z.coerce.number().int().min(0).default(0),
});
export type TEntryQuery = z.input<typeof ZEntryQuery>;

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === "P2002";
}
function isForeignKeyViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === "P2003";
}

/** Entries matching a text search (title, description, CWE), a source and/or a CWE, with usage counts. */
export async function searchKnowledgeEntries(db: Db, query: TEntryQuery = {}): Promise<{ total: number; entries: TKnowledgeEntryRow[] }> {
  const { q, source, cwe, take, skip } = ZEntryQuery.parse(query);
  let cweId: string | undefined;
  if (cwe) {
    try {
      cweId = normalizeCwe(cwe);
    } catch {
      throw new KbError(400, `not a CWE id: ${JSON.stringify(cwe)}`);
    }
  }
  const where = {
    ...(source ? { source } : {}),
    ...(cweId ? { cweId } : {}),
    ...(q
      ? {
          OR: [
            { title: { contains: q, mode: "insensitive" as const } },
            { description: { contains: q, mode: "insensitive" as const } },
            { cweId: { equals: q.toUpperCase() } },
          ],
        }
      : {}),
  };
  const [total, rows] = await Promise.all([
    db.knowledgeEntry.count({ where }),
    db.knowledgeEntry.findMany({
      where,
      orderBy: [{ cweId: "asc" }, { source: "asc" }, { title: "asc" }],
      take,
      skip,
      include: { _count: { select: { pairs: true, prompts: true } } },
    }),
  ]);
  return { total, entries: rows.map(({ _count, ...e }) => ({ ...e, pairCount: _count.pairs, promptCount: _count.prompts })) };
}

export async function getKnowledgeEntry(db: Db, id: string): Promise<TKnowledgeEntryRow | null> {
  if (!z.string().uuid().safeParse(id).success) return null;
  const row = await db.knowledgeEntry.findUnique({ where: { id }, include: { _count: { select: { pairs: true, prompts: true } } } });
  if (!row) return null;
  const { _count, ...entry } = row;
  return { ...entry, pairCount: _count.pairs, promptCount: _count.prompts };
}

export async function createKnowledgeEntry(db: Db, input: TKnowledgeEntryInput, actorId: string | null = null) {
  const data = ZKnowledgeEntryInput.parse(input);
  try {
    return await db.$transaction(async (tx) => {
      const entry = await tx.knowledgeEntry.create({ data });
      await tx.auditLog.create({ data: { actorId, action: "kb.entry.create", entityType: "knowledge_entry", entityId: entry.id, detail: { cweId: entry.cweId, title: entry.title } } });
      return entry;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new KbError(409, `an entry "${data.title}" for ${data.cweId} from source ${data.source} already exists`);
    throw error;
  }
}

/** Replaces an entry's fields. Pairs keep pointing at it (their own cweId/cweTitle copies are not rewritten). */
export async function updateKnowledgeEntry(db: Db, id: string, input: TKnowledgeEntryInput, actorId: string | null = null) {
  const data = ZKnowledgeEntryInput.parse(input);
  if (!(await getKnowledgeEntry(db, id))) throw new KbError(404, `knowledge entry ${id} not found`);
  try {
    return await db.$transaction(async (tx) => {
      const entry = await tx.knowledgeEntry.update({ where: { id }, data });
      await tx.auditLog.create({ data: { actorId, action: "kb.entry.update", entityType: "knowledge_entry", entityId: id, detail: { cweId: entry.cweId, title: entry.title } } });
      return entry;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new KbError(409, `another entry "${data.title}" for ${data.cweId} from source ${data.source} already exists`);
    if ((error as { code?: string })?.code === "P2025") throw new KbError(404, `knowledge entry ${id} not found`);
    throw error;
  }
}

/**
 * Deletes an entry no prompt or pair uses. The entry row is locked first, so a prompt or pair created concurrently
 * either commits before the check (and is counted) or fails its foreign-key check after the delete.
 */
export async function deleteKnowledgeEntry(db: Db, id: string, actorId: string | null = null): Promise<void> {
  if (!z.string().uuid().safeParse(id).success) throw new KbError(404, `knowledge entry ${id} not found`);
  try {
    await db.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string; title: string; cweId: string }[]>`
        SELECT id, title, "cweId" FROM knowledge_entries WHERE id = ${id}::uuid FOR UPDATE`;
      if (locked.length === 0) throw new KbError(404, `knowledge entry ${id} not found`);
      const [pairs, prompts] = await Promise.all([tx.pair.count({ where: { entryId: id } }), tx.distillationPrompt.count({ where: { entryId: id } })]);
      if (pairs + prompts > 0) {
        const uses = [pairs ? `${pairs} pair${pairs === 1 ? "" : "s"}` : "", prompts ? `${prompts} distillation prompt${prompts === 1 ? "" : "s"}` : ""].filter(Boolean).join(" and ");
        throw new KbError(409, `cannot delete "${locked[0].title}" (${locked[0].cweId}): it is used by ${uses}; edit it instead`);
      }
      await tx.knowledgeEntry.delete({ where: { id } });
      await tx.auditLog.create({ data: { actorId, action: "kb.entry.delete", entityType: "knowledge_entry", entityId: id, detail: { cweId: locked[0].cweId, title: locked[0].title } } });
    });
  } catch (error) {
    if (isForeignKeyViolation(error)) throw new KbError(409, `cannot delete knowledge entry ${id}: it is in use`);
    throw error;
  }
}

// ---- packages -------------------------------------------------------------------------------------------------

export type TPackageRow = { id: string; name: string; description: string | null; createdAt: Date; promptCount: number; pairCount: number };

export async function listPackages(db: Db): Promise<TPackageRow[]> {
  const [rows, pairCounts] = await Promise.all([
    db.package.findMany({ orderBy: { name: "asc" }, include: { _count: { select: { prompts: true } } } }),
    db.pair.groupBy({ by: ["packageName"], where: { packageName: { not: null } }, _count: { _all: true } }),
  ]);
  const pairsByName = new Map(pairCounts.map((g) => [g.packageName, g._count._all]));
  return rows.map(({ _count, ...p }) => ({ ...p, promptCount: _count.prompts, pairCount: pairsByName.get(p.name) ?? 0 }));
}

export async function createPackage(db: Db, input: TPackageInput, actorId: string | null = null) {
  const data = ZPackageInput.parse(input);
  try {
    return await db.$transaction(async (tx) => {
      const created = await tx.package.create({ data });
      await tx.auditLog.create({ data: { actorId, action: "kb.package.create", entityType: "package", entityId: created.id, detail: { name: created.name } } });
      return created;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new KbError(409, `package "${data.name}" already exists`);
    throw error;
  }
}

/** Renaming a package that prompts already used is refused: their text names the old package. */
export async function updatePackage(db: Db, id: string, input: TPackageInput, actorId: string | null = null) {
  const data = ZPackageInput.parse(input);
  if (!z.string().uuid().safeParse(id).success) throw new KbError(404, `package ${id} not found`);
  const current = await db.package.findUnique({ where: { id }, include: { _count: { select: { prompts: true } } } });
  if (!current) throw new KbError(404, `package ${id} not found`);
  if (current.name !== data.name && current._count.prompts > 0) {
    throw new KbError(409, `cannot rename "${current.name}": ${current._count.prompts} distillation prompt(s) were written with it; add a new package instead`);
  }
  try {
    return await db.$transaction(async (tx) => {
      const updated = await tx.package.update({ where: { id }, data });
      await tx.auditLog.create({ data: { actorId, action: "kb.package.update", entityType: "package", entityId: id, detail: { name: updated.name, previousName: current.name } } });
      return updated;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new KbError(409, `package "${data.name}" already exists`);
    throw error;
  }
}

export async function deletePackage(db: Db, id: string, actorId: string | null = null): Promise<void> {
  if (!z.string().uuid().safeParse(id).success) throw new KbError(404, `package ${id} not found`);
  try {
    await db.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string; name: string }[]>`SELECT id, name FROM packages WHERE id = ${id}::uuid FOR UPDATE`;
      if (locked.length === 0) throw new KbError(404, `package ${id} not found`);
      const prompts = await tx.distillationPrompt.count({ where: { packageId: id } });
      if (prompts > 0) throw new KbError(409, `cannot delete package "${locked[0].name}": it is used by ${prompts} distillation prompt${prompts === 1 ? "" : "s"}`);
      await tx.package.delete({ where: { id } });
      await tx.auditLog.create({ data: { actorId, action: "kb.package.delete", entityType: "package", entityId: id, detail: { name: locked[0].name } } });
    });
  } catch (error) {
    if (isForeignKeyViolation(error)) throw new KbError(409, `cannot delete package ${id}: it is in use`);
    throw error;
  }
}
