// Knowledge base against a real PostgreSQL: parsing and importing the real DiSCo rules files and MITRE's CWE export
// (skipped with a message when ../shared/data is absent), small fixtures for bad rows, idempotent re-imports, the
// all-or-nothing transaction, and create/edit/delete of entries and packages including refusals for entries in use.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import { normalizeCwe } from "../analyzers/cwe";
import { getDb } from "../db/client";
import { createTestDataset } from "../pairs/test-pairs";
import {
  createKnowledgeEntry,
  createPackage,
  deleteKnowledgeEntry,
  deletePackage,
  KbError,
  listPackages,
  searchKnowledgeEntries,
  updateKnowledgeEntry,
  updatePackage,
} from "./entries";
import { importKnowledgeBase, importKnowledgeFile } from "./import-kb";
import { KbFileError, parseKnowledgeFile } from "./parse-kb";

const db = getDb();
const tag = crypto.randomBytes(4).toString("hex");
const KB_DIR = path.resolve(import.meta.dirname, "../../../shared/data/kb");
const FILES = { bandit: "bandit_rules.csv", codeql: "codeql_rules.csv", cwe: "cwe_rules.csv", mitre: "mitre-cwe/1000.csv", mitreSlim: "mitre-cwe/cwe_1000_slim.csv" };
const haveKb = Object.values(FILES).every((f) => fs.existsSync(path.join(KB_DIR, f)));
if (!haveKb) console.warn(`[knowledge] real knowledge-base tests skipped: ${KB_DIR} is missing some of ${Object.values(FILES).join(", ")}`);

/** An independent reading of a file with csv-parse's record mode: the keys (CWE, title) a correct import must hold. */
function keysOf(file: string, cweColumn: string, titleColumn: string): Set<string> {
  const rows: Record<string, string>[] = parse(fs.readFileSync(path.join(KB_DIR, file)), { columns: true, relax_column_count: true });
  return new Set(rows.map((r) => `${normalizeCwe(r[cweColumn].trim())}|${r[titleColumn].trim()}`));
}

async function keysInDb(source: "CWE" | "CODEQL" | "BANDIT" | "CUSTOM", keys: Set<string>): Promise<number> {
  const rows = await db.knowledgeEntry.findMany({ where: { source }, select: { cweId: true, title: true } });
  return rows.filter((r) => keys.has(`${r.cweId}|${r.title}`)).length;
}

const importedKeys: { source: "CWE" | "CODEQL" | "BANDIT"; keys: Set<string> }[] = [];
afterAll(async () => {
  // Remove what these tests created: custom entries carry the tag; imported ones are removed by their file keys
  // unless they existed before (the demo seed) or something uses them.
  await db.knowledgeEntry.deleteMany({ where: { title: { contains: tag } } });
  await db.package.deleteMany({ where: { name: { contains: tag } } });
  for (const { source, keys } of importedKeys) {
    const rows = await db.knowledgeEntry.findMany({ where: { source, createdAt: { gte: startedAt } }, select: { id: true, cweId: true, title: true } });
    const ids = rows.filter((r) => keys.has(`${r.cweId}|${r.title}`)).map((r) => r.id);
    await db.knowledgeEntry.deleteMany({ where: { id: { in: ids }, pairs: { none: {} }, prompts: { none: {} } } });
  }
});
const startedAt = new Date();

describe.skipIf(!haveKb)("the real knowledge-base files", () => {
  it("parse with the expected counts, sources and start lines", () => {
    const read = (f: string) => fs.readFileSync(path.join(KB_DIR, f), "utf8");
    const bandit = parseKnowledgeFile(read(FILES.bandit), { fileName: FILES.bandit });
    const codeql = parseKnowledgeFile(read(FILES.codeql), { fileName: FILES.codeql });
    const cwe = parseKnowledgeFile(read(FILES.cwe), { fileName: FILES.cwe });
    expect([bandit.source, codeql.source, cwe.source]).toEqual(["BANDIT", "CODEQL", "CWE"]);
    expect([bandit.rows.length, codeql.rows.length, cwe.rows.length]).toEqual([65, 40, 430]);
    // The three files hold 535 entries; the paper reports 534.
    expect(bandit.rows.length + codeql.rows.length + cwe.rows.length).toBe(535);
    for (const r of [bandit, codeql, cwe]) expect(r.invalid).toEqual([]);
    // Multi-line quoted records: line numbers are where each record starts (checked against Python's csv line_num).
    expect(bandit.rows.slice(0, 3).map((r) => r.line)).toEqual([2, 3, 9]);
    expect(codeql.rows.slice(0, 3).map((r) => r.line)).toEqual([2, 16, 43]);
    expect(cwe.rows.at(-1)!.line).toBe(19547);
    // CWE ids normalized, "NULL" / empty examples become null, code examples kept.
    expect(bandit.rows[1].entry).toMatchObject({ cweId: "CWE-78", title: "Executing Shell Command", examples: null });
    expect(cwe.rows[0].entry).toMatchObject({ cweId: "CWE-20", title: "Improper Input Validation" });
    // Rows without examples (counted with Python's csv module: "NULL" or empty).
    expect([bandit, codeql, cwe].map((r) => r.rows.filter((x) => x.entry.examples === null).length)).toEqual([65, 9, 177]);
    expect(codeql.rows[0].entry.examples).toContain("django.middleware.security.SecurityMiddleware");
    for (const r of [...bandit.rows, ...codeql.rows, ...cwe.rows]) expect(r.entry.cweId).toMatch(/^CWE-[1-9]\d*$/);

    const mitre = parseKnowledgeFile(read(FILES.mitre), { fileName: FILES.mitre });
    const slim = parseKnowledgeFile(read(FILES.mitreSlim), { fileName: FILES.mitreSlim });
    expect([mitre.format, mitre.source, mitre.rows.length, mitre.invalid.length]).toEqual(["mitre", "CWE", 938, 0]);
    expect(slim.rows.map((r) => [r.entry.cweId, r.entry.title, r.entry.description])).toEqual(mitre.rows.map((r) => [r.entry.cweId, r.entry.title, r.entry.description]));
  });

  it("import all three DiSCo files (535 entries), then re-import without duplicates", async () => {
    const expected = {
      BANDIT: keysOf(FILES.bandit, "CWE", "Title"),
      CODEQL: keysOf(FILES.codeql, "CWE", "Title"),
      CWE: keysOf(FILES.cwe, "CWE", "Title"),
    } as const;
    const before = { BANDIT: await keysInDb("BANDIT", expected.BANDIT), CODEQL: await keysInDb("CODEQL", expected.CODEQL), CWE: await keysInDb("CWE", expected.CWE) };
    for (const [source, file] of [["BANDIT", FILES.bandit], ["CODEQL", FILES.codeql], ["CWE", FILES.cwe]] as const) {
      importedKeys.push({ source, keys: expected[source] });
      const report = await importKnowledgeFile(db, path.join(KB_DIR, file));
      expect(report.source).toBe(source);
      expect(report.total).toBe(expected[source].size);
      expect(report.created).toBe(expected[source].size - before[source]);
      expect(report.created + report.updated + report.unchanged).toBe(expected[source].size);
      expect(report.invalidCount).toBe(0);
    }
    const inDb = (await keysInDb("BANDIT", expected.BANDIT)) + (await keysInDb("CODEQL", expected.CODEQL)) + (await keysInDb("CWE", expected.CWE));
    expect(inDb).toBe(535);

    const again = await importKnowledgeFile(db, path.join(KB_DIR, FILES.codeql));
    expect(again).toMatchObject({ total: 40, created: 0, updated: 0, unchanged: 40 });
    expect(await db.knowledgeEntry.count({ where: { source: "CODEQL", title: "CSRF Protection Weakened or Disabled", cweId: "CWE-352" } })).toBe(1);
  });

  it("imports MITRE's export as CWE entries, merging with the DiSCo CWE entries of the same id and title", async () => {
    const keys = keysOf(FILES.mitre, "CWE-ID", "Name");
    importedKeys.push({ source: "CWE", keys });
    const before = await keysInDb("CWE", keys);
    const report = await importKnowledgeFile(db, path.join(KB_DIR, FILES.mitre), { format: "mitre" });
    expect(report).toMatchObject({ format: "mitre", source: "CWE", total: 938, invalidCount: 0 });
    expect(report.created).toBe(938 - before);
    expect(await keysInDb("CWE", keys)).toBe(938);
    const slim = await importKnowledgeFile(db, path.join(KB_DIR, FILES.mitreSlim));
    expect(slim).toMatchObject({ created: 0, updated: 0, unchanged: 938 });
  });
});

describe("import of small files", () => {
  const disco = (rows: string[]) => [",Title,CWE,Description,Examples", ...rows].join("\n") + "\n";

  it("reports bad rows with their lines and imports the good ones", async () => {
    const content = disco([
      `0,Good one ${tag},CWE-078,"Runs a shell
command built from input.",NULL`,
      `1,Bad cwe ${tag},CWE-abc,Something,NULL`,
      `2,,CWE-79,No title,NULL`,
      `3,No description ${tag},CWE-79,,NULL`,
      `4,Good one ${tag},CWE-78,Duplicate key of line 2,NULL`,
      `5,Second ${tag},79,"Reflected XSS.","print(x)"`,
    ]);
    const report = await importKnowledgeBase(db, { content, source: "CUSTOM", fileName: "mine.csv" });
    expect(report).toMatchObject({ format: "disco", source: "CUSTOM", total: 6, created: 2, updated: 0, unchanged: 0, invalidCount: 4 });
    expect(report.invalid).toEqual([
      { line: 4, reason: expect.stringMatching(/CWE "CWE-abc" is not a CWE id/) },
      { line: 5, reason: "Title is empty" },
      { line: 6, reason: "Description is empty" },
      { line: 7, reason: "duplicate of line 2 (same CWE CWE-78 and title)" },
    ]);
    const saved = await db.knowledgeEntry.findFirstOrThrow({ where: { source: "CUSTOM", title: `Good one ${tag}` } });
    expect(saved).toMatchObject({ cweId: "CWE-78", description: "Runs a shell\ncommand built from input.", examples: null });

    // Re-import with a changed description: an update, not a duplicate.
    const changed = content.replace("Reflected XSS.", "Reflected cross-site scripting.");
    const second = await importKnowledgeBase(db, { content: changed, source: "CUSTOM" });
    expect(second).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    expect(await db.knowledgeEntry.count({ where: { title: { contains: tag } } })).toBe(2);
    expect((await db.knowledgeEntry.findFirstOrThrow({ where: { title: `Second ${tag}` } })).description).toBe("Reflected cross-site scripting.");
  });

  it("refuses files it cannot read at all", () => {
    expect(() => parseKnowledgeFile("")).toThrow(KbFileError);
    expect(() => parseKnowledgeFile("a,b\n1,2\n")).toThrow(/unrecognized header/);
    expect(() => parseKnowledgeFile(disco([`0,T,CWE-1,D,NULL`]), { fileName: "rules.csv" })).toThrow(/cannot tell the source of rules\.csv/);
    expect(() => parseKnowledgeFile(disco([`0,T,CWE-1,D,NULL`]), { format: "mitre", source: "CWE" })).toThrow(/lacks the mitre columns/);
  });

  it("writes nothing when the database fails part-way (one transaction)", async () => {
    const first = disco([`0,Atomic A ${tag},CWE-20,Original.,NULL`]);
    await importKnowledgeBase(db, { content: first, source: "CUSTOM" });
    // A real database error on one row of the next import: a trigger refuses one title.
    const boom = `Atomic boom ${tag}`;
    await db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION kb_test_boom_${tag}() RETURNS trigger AS $$
      BEGIN IF NEW.title = '${boom}' THEN RAISE EXCEPTION 'refused by test trigger'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await db.$executeRawUnsafe(`CREATE TRIGGER kb_test_boom_${tag} BEFORE INSERT ON knowledge_entries FOR EACH ROW EXECUTE FUNCTION kb_test_boom_${tag}()`);
    try {
      const second = disco([`0,Atomic A ${tag},CWE-20,Changed.,NULL`, `1,Atomic B ${tag},CWE-20,New.,NULL`, `2,${boom},CWE-20,Fails.,NULL`]);
      await expect(importKnowledgeBase(db, { content: second, source: "CUSTOM" })).rejects.toThrow(/refused by test trigger/);
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS kb_test_boom_${tag} ON knowledge_entries`);
      await db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS kb_test_boom_${tag}()`);
    }
    expect((await db.knowledgeEntry.findFirstOrThrow({ where: { title: `Atomic A ${tag}` } })).description).toBe("Original.");
    expect(await db.knowledgeEntry.count({ where: { title: { in: [`Atomic B ${tag}`, boom] } } })).toBe(0);
  });
});

describe("entries and packages", () => {
  it("creates, searches, edits and deletes an entry; duplicates and bad CWE ids are refused", async () => {
    const entry = await createKnowledgeEntry(db, { cweId: "cwe-089", title: `SQL built by hand ${tag}`, description: "Queries from strings.", examples: "  " });
    expect(entry).toMatchObject({ cweId: "CWE-89", source: "CUSTOM", examples: null });
    await expect(createKnowledgeEntry(db, { cweId: "CWE-89", title: `SQL built by hand ${tag}`, description: "again" })).rejects.toThrow(/already exists/);
    await expect(createKnowledgeEntry(db, { cweId: "SQL", title: `x ${tag}`, description: "d" })).rejects.toThrow(/not a CWE id/);

    const found = await searchKnowledgeEntries(db, { q: `hand ${tag}` });
    expect(found.entries.map((e) => e.id)).toEqual([entry.id]);
    expect((await searchKnowledgeEntries(db, { cwe: "CWE-089", source: "CUSTOM", q: tag })).total).toBe(1);

    const updated = await updateKnowledgeEntry(db, entry.id, { cweId: "CWE-89", title: `SQL built by hand ${tag}`, description: "Edited.", examples: "q = 'SELECT ' + x", source: "CUSTOM" });
    expect(updated).toMatchObject({ description: "Edited.", examples: "q = 'SELECT ' + x" });
    await expect(updateKnowledgeEntry(db, crypto.randomUUID(), { cweId: "CWE-1", title: "t", description: "d" })).rejects.toMatchObject({ status: 404 });

    await deleteKnowledgeEntry(db, entry.id);
    expect(await db.knowledgeEntry.findUnique({ where: { id: entry.id } })).toBeNull();
    expect(await db.auditLog.count({ where: { entityId: entry.id, action: { startsWith: "kb.entry." } } })).toBe(3);
  });

  it("refuses to delete an entry that pairs or prompts use, and leaves it intact", async () => {
    const entry = await createKnowledgeEntry(db, { cweId: "CWE-22", title: `Path joined ${tag}`, description: "Paths from input." });
    const dataset = await createTestDataset(`kb-${tag}`);
    const pair = await dataset.pair({ instruction: "i", insecureCode: "open(p)", secureCode: "open(safe(p))", cweId: "CWE-22" });
    await db.pair.update({ where: { id: pair.id }, data: { entryId: entry.id } });
    const error = await deleteKnowledgeEntry(db, entry.id).catch((e) => e);
    expect(error).toBeInstanceOf(KbError);
    expect(error.status).toBe(409);
    expect(error.message).toMatch(/used by 1 pair; edit it instead/);
    expect(await db.knowledgeEntry.findUnique({ where: { id: entry.id } })).not.toBeNull();
    expect((await db.pair.findUniqueOrThrow({ where: { id: pair.id } })).entryId).toBe(entry.id);

    // A distillation prompt also blocks deletion, as does it for its package.
    const pkg = await createPackage(db, { name: `pkg-${tag}`, description: "test" });
    const job = await db.distillationJob.create({ data: { name: `kb-${tag}`, model: "m", config: {} } });
    await db.distillationPrompt.create({ data: { jobId: job.id, idempotencyKey: `kb-${tag}`, position: 0, kind: "COMPLEX", entryId: entry.id, packageId: pkg.id, text: "t" } });
    await expect(deleteKnowledgeEntry(db, entry.id)).rejects.toThrow(/used by 1 pair and 1 distillation prompt/);
    await expect(deletePackage(db, pkg.id)).rejects.toThrow(/used by 1 distillation prompt/);
    await expect(updatePackage(db, pkg.id, { name: `renamed-${tag}` })).rejects.toThrow(/cannot rename/);
    expect((await updatePackage(db, pkg.id, { name: `pkg-${tag}`, description: "new text" })).description).toBe("new text");

    await db.distillationJob.delete({ where: { id: job.id } });
    await dataset.remove();
    await deleteKnowledgeEntry(db, entry.id);
    await deletePackage(db, pkg.id);
    expect(await db.package.findUnique({ where: { id: pkg.id } })).toBeNull();
  });

  it("lists packages with usage counts and refuses bad or duplicate names", async () => {
    const pkg = await createPackage(db, { name: `lib-${tag}` });
    await expect(createPackage(db, { name: `lib-${tag}` })).rejects.toThrow(/already exists/);
    await expect(createPackage(db, { name: "bad name" })).rejects.toThrow(/letters, digits/);
    const listed = (await listPackages(db)).find((p) => p.id === pkg.id);
    expect(listed).toMatchObject({ name: `lib-${tag}`, promptCount: 0, pairCount: 0, description: null });
  });
});
