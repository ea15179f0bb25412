// Export round trips: a version made of raw dataset_versions/dataset_version_items rows is exported in every format,
// read back with independent readers (JSON.parse, csv-parse, hyparquet), and compared to the stored revisions.
import crypto from "node:crypto";
import { parse as parseCsv } from "csv-parse/sync";
import { parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { pairContentHash } from "../../pairs/content-hash";
import { importPairs } from "../import/import-pairs";
import { parsePairs } from "../import/parse-pairs";
import { exportVersion } from "./export-version";
import { readVersionRows } from "./version-rows";

const db = getDb();
const name = `export-test-${crypto.randomBytes(4).toString("hex")}`;
let datasetId: string;
let versionId: string;
let expected: Map<string, { revision: number; split: string; instruction: string; insecureCode: string; secureCode: string; reasoning: string; cweId: string | null; packageName: string | null; source: string }>;

const SPLITS = ["TRAIN", "TRAIN", "VAL", "TEST", "TRAIN"] as const;

beforeAll(async () => {
  const rows = [
    { instruction: "Run ls, then \"echo\"", insecureCode: "os.system('ls ' + d)\n", secureCode: "subprocess.run(['ls', d])\r\n", reasoning: "R, with comma", cweId: "CWE-78", packageName: "os" },
    { instruction: "Parse YAML — ünïcode ✓", insecureCode: "yaml.load(s)", secureCode: "yaml.safe_load(s)", reasoning: "", cweId: "CWE-502" },
    { instruction: "No CWE", insecureCode: "a = '\"'", secureCode: "a = \"'\"", reasoning: "multi\nline\n\"quoted\"", cweId: null },
    { instruction: "Leading =formula", insecureCode: "x", secureCode: "y", reasoning: "", cweId: "CWE-1236" },
    { instruction: "Fifth", insecureCode: "md5(p)", secureCode: "sha256(p)", reasoning: "r", cweId: "CWE-327" },
  ];
  const report = await importPairs(db, { datasetName: name, format: "disco-jsonl", content: rows.map((row) => JSON.stringify(row)).join("\n") });
  expect(report.inserted).toBe(5);
  datasetId = report.datasetId;
  const pairs = await db.pair.findMany({ where: { datasetId }, orderBy: { instruction: "asc" } });
  // Pair 0 is edited after the freeze: the export must still show revision 1, what the version holds. Pair 1 is
  // edited before the freeze and frozen at revision 2.
  const edit = async (pair: (typeof pairs)[number], secureCode: string) => {
    const content = { ...pair, secureCode };
    const contentHash = pairContentHash(content);
    await db.pair.update({ where: { id: pair.id }, data: { secureCode, contentHash, revision: pair.revision + 1, revisions: { create: { revision: pair.revision + 1, instruction: pair.instruction, insecureCode: pair.insecureCode, secureCode, reasonInsecure: pair.reasonInsecure, reasonSecure: pair.reasonSecure, reasoning: pair.reasoning, cweId: pair.cweId, contentHash } } } });
    return { ...pair, secureCode, revision: pair.revision + 1 };
  };
  const frozen = [pairs[0]!, await edit(pairs[1]!, "yaml.safe_load(s)  # revision 2"), ...pairs.slice(2)];
  const version = await db.datasetVersion.create({
    data: { datasetId, version: 1, name: "v1", contentHash: "test", splitConfig: { train: 0.6, val: 0.2, test: 0.2, seed: 42 }, selection: {}, pairCount: frozen.length },
  });
  versionId = version.id;
  await db.datasetVersionItem.createMany({
    data: frozen.map((pair, index) => ({ versionId, pairId: pair.id, pairRevision: pair.revision, split: SPLITS[index]!, contentHash: pairContentHash(pair) })),
  });
  await edit(pairs[0]!, "changed after the freeze");
  expected = new Map(
    frozen.map((pair, index) => [pair.id, { revision: pair.revision, split: SPLITS[index]!.toLowerCase(), instruction: pair.instruction, insecureCode: pair.insecureCode, secureCode: pair.secureCode, reasoning: pair.reasoning, cweId: pair.cweId, packageName: pair.packageName, source: pair.source }]),
  );
});

afterAll(async () => {
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('disco.allow_version_delete', 'on', true)`;
    await tx.datasetVersionItem.deleteMany({ where: { versionId } });
    await tx.datasetVersion.deleteMany({ where: { datasetId } });
    await tx.auditLog.deleteMany({ where: { entityId: datasetId } });
    await tx.pair.deleteMany({ where: { datasetId } });
    await tx.dataset.delete({ where: { id: datasetId } });
  });
});

async function bytes(format: "trl" | "csv" | "parquet") {
  const exported = await exportVersion(db, versionId, format);
  const parts: Uint8Array[] = [];
  for await (const chunk of exported.chunks) parts.push(chunk);
  return { exported, buffer: Buffer.concat(parts) };
}

type TrlRow = { prompt: string; chosen: string; rejected: string; pair_id: string; revision: number; cwe: string | null; package: string | null; source: string; reasoning: string; split: string };

function expectTrlRowsMatch(rows: TrlRow[]) {
  expect(rows).toHaveLength(expected.size);
  expect(rows.map((row) => row.split)).toEqual(["train", "train", "train", "val", "test"]);
  for (const row of rows) {
    const stored = expected.get(row.pair_id)!;
    expect(stored, row.pair_id).toBeDefined();
    expect(row).toEqual({ prompt: stored.instruction, chosen: stored.secureCode, rejected: stored.insecureCode, pair_id: row.pair_id, revision: stored.revision, cwe: stored.cweId, package: stored.packageName, source: "disco-jsonl", reasoning: stored.reasoning, split: stored.split });
  }
}

describe("exportVersion", () => {
  it("TRL JSONL holds each item's frozen revision with metadata and split, and imports back", async () => {
    const { exported, buffer } = await bytes("trl");
    expect(exported.fileName).toBe(`${name}-v1.jsonl`);
    const rows = buffer.toString("utf8").trimEnd().split("\n").map((line) => JSON.parse(line) as TrlRow);
    expectTrlRowsMatch(rows);
    expect(rows.find((row) => row.chosen === "changed after the freeze")).toBeUndefined();
    expect(rows.find((row) => row.revision === 2)?.chosen).toBe("yaml.safe_load(s)  # revision 2");
    const reparsed = parsePairs(buffer.toString("utf8"), "trl");
    expect(reparsed.invalid).toEqual([]);
    expect(reparsed.rows.map((row) => row.pair.cweId)).toEqual(rows.map((row) => row.cwe));
  });

  it("DiSCo CSV has the released columns plus split and survives quotes, commas and line breaks", async () => {
    const { buffer } = await bytes("csv");
    const text = buffer.toString("utf8");
    expect(text.split("\n")[0]).toBe(",Instruction,Secure Code,Vulnerable Code,Reasoning,split");
    const records = parseCsv(text, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(expected.size);
    const byInstruction = new Map([...expected.values()].map((row) => [row.instruction, row]));
    records.forEach((record, index) => {
      const stored = byInstruction.get(record["Instruction"]!)!;
      expect(record).toEqual({ "": String(index), Instruction: stored.instruction, "Secure Code": stored.secureCode, "Vulnerable Code": stored.insecureCode, Reasoning: stored.reasoning, split: stored.split });
    });
  });

  it("Parquet reads back with hyparquet to the same rows as the JSONL", async () => {
    const { exported, buffer } = await bytes("parquet");
    expect(exported.contentType).toBe("application/vnd.apache.parquet");
    const arrayBuffer = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
    const rows = (await parquetReadObjects({ file: arrayBuffer })) as TrlRow[];
    expectTrlRowsMatch(rows);
  });

  it("pages through a version by split then pair id without skipping or repeating rows", async () => {
    const all = [];
    for await (const row of readVersionRows(db, versionId)) all.push(row);
    const paged = [];
    for await (const row of readVersionRows(db, versionId, 2)) paged.push(row);
    expect(paged).toEqual(all);
    expect(new Set(paged.map((row) => row.pairId)).size).toBe(5);
  });

  it("names a missing version", async () => {
    await expect(exportVersion(db, crypto.randomUUID(), "trl")).rejects.toThrow(/no dataset version with id/);
  });
});

describe("GET /api/dataset-versions/:id/export", () => {
  it("streams the download to a signed-in user and refuses anonymous and bad requests", async () => {
    const { createFixtures, browserRequest, routeParams } = await import("../../testing/fixtures");
    const { GET } = await import("../../../app/api/dataset-versions/[id]/export/route");
    const fixtures = createFixtures();
    try {
      const annotator = await fixtures.user("ANNOTATOR");
      const response = await GET(browserRequest(`/api/dataset-versions/${versionId}/export?format=csv`, { cookie: annotator.cookie }), routeParams({ id: versionId }));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${name}-v1.csv"`);
      const records = parseCsv(await response.text(), { columns: true }) as Record<string, string>[];
      expect(records.map((record) => record.split)).toEqual(["train", "train", "train", "val", "test"]);

      const parquet = await GET(browserRequest(`/api/dataset-versions/${versionId}/export?format=parquet`, { cookie: annotator.cookie }), routeParams({ id: versionId }));
      expect((await parquetReadObjects({ file: await parquet.arrayBuffer() })).length).toBe(5);

      expect((await GET(browserRequest(`/api/dataset-versions/${versionId}/export`), routeParams({ id: versionId }))).status).toBe(401);
      const badFormat = await GET(browserRequest(`/api/dataset-versions/${versionId}/export?format=xlsx`, { cookie: annotator.cookie }), routeParams({ id: versionId }));
      expect(badFormat.status).toBe(400);
      const missing = await GET(browserRequest(`/api/dataset-versions/${crypto.randomUUID()}/export`, { cookie: annotator.cookie }), routeParams({ id: crypto.randomUUID() }));
      expect(missing.status).toBe(404);
    } finally {
      await fixtures.cleanup();
    }
  });
});
