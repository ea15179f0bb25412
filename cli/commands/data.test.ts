// `disco import` and `disco export` as a user runs them: real processes against the test database.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parquetReadObjects } from "hyparquet";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../../lib/db/client";
import { projectRoot } from "../../lib/project-root";

const BIN = path.resolve(projectRoot(), "bin/disco.mjs");
const DISCO_CSV = path.resolve(projectRoot(), "../shared/data/disco/DiSCo_test.csv");
const db = getDb();
const dataset = `cli-import-${crypto.randomBytes(4).toString("hex")}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "disco-data-"));
let versionId: string | null = null;

function disco(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL }, encoding: "utf8", timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

afterAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  const row = await db.dataset.findUnique({ where: { name: dataset } });
  if (!row) return;
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('disco.allow_version_delete', 'on', true)`;
    if (versionId) await tx.datasetVersionItem.deleteMany({ where: { versionId } });
    await tx.datasetVersion.deleteMany({ where: { datasetId: row.id } });
    await tx.auditLog.deleteMany({ where: { entityId: row.id } });
    await tx.pair.deleteMany({ where: { datasetId: row.id } });
    await tx.dataset.delete({ where: { id: row.id } });
  });
});

describe("disco import / export", () => {
  it("imports a file with bad rows, prints the report, and exits non-zero only for unreadable files", async () => {
    const file = path.join(tmp, "pairs.jsonl");
    const good = (n: number) => JSON.stringify({ prompt: `p${n}`, chosen: `safe(${n})`, rejected: `unsafe(${n})`, cwe: "CWE-20" });
    fs.writeFileSync(file, [good(1), "{bad", good(2), JSON.stringify({ prompt: "p", chosen: "", rejected: "x" })].join("\n"));
    const first = disco(["import", file, "--dataset", dataset, "--json"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report).toMatchObject({ format: "trl", total: 4, inserted: 2, duplicates: 0, invalidCount: 2 });
    expect(report.invalid.map((row: { line: number }) => row.line)).toEqual([2, 4]);

    const again = disco(["import", file, "--dataset", dataset]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("0 inserted, 2 already present, 2 invalid");
    expect(again.stdout).toContain("line 2: invalid JSON");

    const missing = disco(["import", path.join(tmp, "nope.csv"), "--dataset", dataset]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.csv: ENOENT/);
    fs.writeFileSync(path.join(tmp, "wrong.csv"), "a,b\n1,2\n");
    const wrongColumns = disco(["import", path.join(tmp, "wrong.csv"), "--dataset", dataset]);
    expect(wrongColumns.code).toBe(1);
    expect(wrongColumns.stderr).toMatch(/lacks the columns/);
    const badFormat = disco(["import", file, "--dataset", dataset, "--format", "xml"]);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/--format must be one of/);
  });

  it.skipIf(!fs.existsSync(DISCO_CSV))("imports the DiSCo test CSV and exports a version as Parquet", async () => {
    const imported = disco(["import", DISCO_CSV, "--dataset", dataset, "--json"]);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ format: "disco-csv", total: 200, inserted: 200, invalidCount: 0 });

    const row = await db.dataset.findUniqueOrThrow({ where: { name: dataset } });
    const pairs = await db.pair.findMany({ where: { datasetId: row.id, source: "disco-csv" }, orderBy: { id: "asc" } });
    const version = await db.datasetVersion.create({ data: { datasetId: row.id, version: 1, name: "cli", contentHash: "test", splitConfig: {}, selection: {}, pairCount: pairs.length } });
    versionId = version.id;
    await db.datasetVersionItem.createMany({ data: pairs.map((pair, index) => ({ versionId: version.id, pairId: pair.id, pairRevision: 1, split: index < 190 ? "TRAIN" : index < 196 ? "VAL" : "TEST", contentHash: pair.contentHash })) });

    const out = path.join(tmp, "v1.parquet");
    const exported = disco(["export", "--version", version.id, "--format", "parquet", "--out", out]);
    expect(exported.stderr).toBe("");
    expect(exported.code).toBe(0);
    const buffer = fs.readFileSync(out);
    const rows = (await parquetReadObjects({ file: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) })) as { pair_id: string; chosen: string; split: string; cwe: string }[];
    expect(rows).toHaveLength(200);
    const counts = rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.split]: (acc[r.split] ?? 0) + 1 }), {});
    expect(counts).toEqual({ train: 190, val: 6, test: 4 });
    const byId = new Map(pairs.map((pair) => [pair.id, pair]));
    for (const r of rows) {
      expect(r.chosen).toBe(byId.get(r.pair_id)!.secureCode);
      expect(r.cwe).toBe(byId.get(r.pair_id)!.cweId);
    }
    expect(fs.existsSync(`${out}.partial`)).toBe(false);

    const unknown = disco(["export", "--version", crypto.randomUUID(), "--format", "csv", "--out", path.join(tmp, "x.csv")]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no dataset version with id/);
    expect(fs.existsSync(path.join(tmp, "x.csv"))).toBe(false);
  });
});
