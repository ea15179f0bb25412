// importPairs against the real database: the released DiSCo test split and SafeCoder's training file from the shared
// data folder, re-import without duplicates, and a broken file whose good rows still land.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { pairContentHash } from "../../pairs/content-hash";
import { projectRoot } from "../../project-root";
import { importPairs } from "./import-pairs";

const DISCO_CSV = path.resolve(projectRoot(), "../shared/data/disco/DiSCo_test.csv");
const SAFECODER = path.resolve(projectRoot(), "../shared/data/safecoder/data_train_val/train/sec-new-desc.jsonl");
const datasetNames: string[] = [];

function datasetName(label: string) {
  const name = `import-test-${label}-${crypto.randomBytes(4).toString("hex")}`;
  datasetNames.push(name);
  return name;
}

afterAll(async () => {
  const db = getDb();
  const datasets = await db.dataset.findMany({ where: { name: { in: datasetNames } }, select: { id: true } });
  const ids = datasets.map((dataset) => dataset.id);
  await db.auditLog.deleteMany({ where: { entityId: { in: ids } } });
  await db.pair.deleteMany({ where: { datasetId: { in: ids } } });
  await db.dataset.deleteMany({ where: { id: { in: ids } } });
});

describe.skipIf(!fs.existsSync(DISCO_CSV))("importPairs: DiSCo test CSV", () => {
  it("imports all 200 rows with their CWE, and a re-import adds nothing", async () => {
    const db = getDb();
    const name = datasetName("disco");
    const progress: number[] = [];
    const report = await importPairs(db, { datasetName: name, filePath: DISCO_CSV, onProgress: (done) => void progress.push(done) });
    expect(report).toMatchObject({ format: "disco-csv", total: 200, inserted: 200, duplicates: 0, invalidCount: 0, invalid: [] });
    expect(progress.at(-1)).toBe(200);

    const records = parse(fs.readFileSync(DISCO_CSV), { columns: true }) as Record<string, string>[];
    const pairs = await db.pair.findMany({ where: { datasetId: report.datasetId }, include: { revisions: true } });
    expect(pairs).toHaveLength(200);
    const byInstruction = new Map(pairs.map((pair) => [pair.instruction + "\u0000" + pair.secureCode, pair]));
    for (const record of records) {
      const pair = byInstruction.get(record["Prompt"] + "\u0000" + record["Secure Code"])!;
      expect(pair, record["Prompt"]).toBeDefined();
      expect(pair.insecureCode).toBe(record["Vulnerable Code"]);
      expect(pair.reasoning).toBe(record["Reasoning"]);
      const cwe = /CWE-0*(\d+)/.exec(record["Reasoning"]!)![1];
      expect(pair.cweId).toBe(`CWE-${cwe}`);
      expect(pair.cweTitle).toBeTruthy();
      expect(pair.source).toBe("disco-csv");
      expect(pair.revisions).toHaveLength(1);
      expect(pair.revisions[0]!.revision).toBe(1);
      expect(pair.revisions[0]!.contentHash).toBe(pair.contentHash);
      expect(pair.contentHash).toBe(pairContentHash(pair));
    }
    const split = pairs.filter((pair) => pair.reasonInsecure && pair.reasonSecure).length;
    console.log(`[import] DiSCo test CSV: r-/r+ recovered for ${split} of 200 reasonings`);
    expect(split).toBeGreaterThan(180);

    const again = await importPairs(db, { datasetName: name, filePath: DISCO_CSV });
    expect(again).toMatchObject({ datasetId: report.datasetId, total: 200, inserted: 0, duplicates: 200, invalidCount: 0 });
    expect(await db.pair.count({ where: { datasetId: report.datasetId } })).toBe(200);
    const audits = await db.auditLog.count({ where: { action: "dataset.import", entityId: report.datasetId } });
    expect(audits).toBe(2);
  });
});

describe.skipIf(!fs.existsSync(SAFECODER))("importPairs: SafeCoder training file", () => {
  it("imports the 421 rows with languages from file names; in-file repeats count as duplicates", async () => {
    const db = getDb();
    const lines = fs.readFileSync(SAFECODER, "utf8").split("\n").filter((line) => line.trim());
    const rows = lines.map((line) => JSON.parse(line) as { func_src_before: string; func_src_after: string; file_name: string; vul_type: string; description: string });
    const identical = rows.filter((row) => row.func_src_before === row.func_src_after).length;
    const distinct = new Set(rows.filter((row) => row.func_src_before !== row.func_src_after).map((row) => JSON.stringify([row.func_src_before, row.func_src_after, row.description, row.vul_type]))).size;

    const report = await importPairs(db, { datasetName: datasetName("safecoder"), filePath: SAFECODER });
    expect(report.total).toBe(421);
    expect(report.invalidCount).toBe(identical);
    for (const invalid of report.invalid) expect(invalid.reason).toBe("secure code is identical to the insecure code");
    expect(report.inserted).toBe(distinct);
    expect(report.inserted + report.duplicates + report.invalidCount).toBe(421);
    console.log(`[import] SafeCoder: ${report.inserted} inserted, ${report.duplicates} repeated rows, ${report.invalidCount} invalid (${report.invalid.map((row) => `line ${row.line}`).join(", ")})`);

    const languages = await db.pair.groupBy({ by: ["language"], where: { datasetId: report.datasetId }, _count: true });
    const byLanguage = Object.fromEntries(languages.map((row) => [row.language, row._count]));
    expect(Object.keys(byLanguage).sort()).toEqual(["c", "cpp", "go", "java", "javascript", "python", "ruby"]);
    const firstRuby = rows.findIndex((row) => row.file_name.endsWith(".rb"));
    const ruby = await db.pair.findFirst({ where: { datasetId: report.datasetId, insecureCode: rows[firstRuby]!.func_src_before } });
    expect(ruby).toMatchObject({ language: "ruby", cweId: `CWE-${Number(rows[firstRuby]!.vul_type.slice(4))}`, instruction: rows[firstRuby]!.description, source: "safecoder" });
  });
});

describe("importPairs: a broken file", () => {
  it("imports the good rows, reports the bad ones by line, and refuses an unreadable file", async () => {
    const db = getDb();
    const name = datasetName("broken");
    const good = (n: number) => JSON.stringify({ instruction: `task ${n}`, insecureCode: `x = input()\neval(x) # ${n}`, secureCode: `x = int(input()) # ${n}`, cweId: "CWE-95" });
    const file = path.join(os.tmpdir(), `broken-${crypto.randomUUID()}.jsonl`);
    fs.writeFileSync(file, [good(1), good(2), "{oops", JSON.stringify({ instruction: "t", insecureCode: "", secureCode: "a" }), good(3), JSON.stringify({ instruction: "t", insecureCode: "a", secureCode: "b", cweId: "CWE-x" })].join("\n"));
    try {
      const report = await importPairs(db, { datasetName: name, filePath: file });
      expect(report).toMatchObject({ format: "disco-jsonl", total: 6, inserted: 3, duplicates: 0, invalidCount: 3 });
      expect(report.invalid.map((row) => row.line)).toEqual([3, 4, 6]);
      expect(report.invalid[1]!.reason).toBe("insecure code is empty");
      expect(await db.pair.count({ where: { dataset: { name } } })).toBe(3);
    } finally {
      fs.rmSync(file, { force: true });
    }
    await expect(importPairs(db, { datasetName: datasetName("missing"), filePath: "/nonexistent/file.csv" })).rejects.toThrow(/cannot read \/nonexistent\/file.csv: ENOENT/);
    expect(await db.dataset.count({ where: { name: datasetNames.at(-1) } })).toBe(0);
  });
});
