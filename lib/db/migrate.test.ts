import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, getMigrationStatus, readMigrations } from "./migrate";

// Each test gets its own database on the shared test server, so migrations start from nothing.
const adminUrl = process.env.DATABASE_URL!;
const created: string[] = [];

async function freshDatabase(): Promise<string> {
  const name = `migrate_${crypto.randomBytes(4).toString("hex")}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  created.push(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

let tempDir: string;
beforeAll(() => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "disco-migrations-"));
});

afterAll(async () => {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  for (const name of created) await client.query(`drop database if exists ${name} with (force)`);
  await client.end();
  fs.rmSync(tempDir, { recursive: true, force: true });
});

describe("committed migrations", () => {
  it("apply on an empty database and record rows exactly as prisma migrate deploy does", async () => {
    const url = await freshDatabase();
    const files = readMigrations();
    expect(files.length).toBeGreaterThan(0);
    const applied = await applyMigrations(url);
    expect(applied).toEqual(files.map((file) => file.name));

    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      url,
      `select migration_name, checksum, finished_at, applied_steps_count from "_prisma_migrations" order by migration_name`,
    );
    expect(rows.map((row) => row.migration_name)).toEqual(files.map((file) => file.name));
    for (const [index, row] of rows.entries()) {
      const sql = fs.readFileSync(path.resolve("prisma/migrations", row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(crypto.createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(files[index]!.checksum).toBe(row.checksum);
    }

    const tables = await query<{ table_name: string }>(url, `select table_name from information_schema.tables where table_schema = 'public'`);
    const names = tables.map((table) => table.table_name);
    for (const table of ["users", "sessions", "pairs", "pair_revisions", "findings", "masks", "dataset_versions", "runs", "metric_points", "evaluations", "audit_log"]) {
      expect(names).toContain(table);
    }
    expect(await getMigrationStatus(url)).toEqual({ applied: files.map((file) => file.name), pending: [], modified: [] });
  });

  it("is idempotent: a second run applies nothing", async () => {
    const url = await freshDatabase();
    await applyMigrations(url);
    expect(await applyMigrations(url)).toEqual([]);
  });

  it("refuses a migration edited after it was applied, and reports a new one as pending", async () => {
    const url = await freshDatabase();
    const dir = path.join(tempDir, "edited");
    fs.mkdirSync(path.join(dir, "0001_first"), { recursive: true });
    fs.writeFileSync(path.join(dir, "0001_first/migration.sql"), "create table t (id int primary key);");
    expect(await applyMigrations(url, dir)).toEqual(["0001_first"]);

    fs.mkdirSync(path.join(dir, "0002_second"));
    fs.writeFileSync(path.join(dir, "0002_second/migration.sql"), "alter table t add column name text;");
    expect((await getMigrationStatus(url, dir)).pending).toEqual(["0002_second"]);

    fs.writeFileSync(path.join(dir, "0001_first/migration.sql"), "create table t (id bigint primary key);");
    await expect(applyMigrations(url, dir)).rejects.toThrow(/0001_first was edited after it was applied/);
    expect((await getMigrationStatus(url, dir)).modified).toEqual(["0001_first"]);
  });

  it("rolls back a failing migration completely and names it", async () => {
    const url = await freshDatabase();
    const dir = path.join(tempDir, "failing");
    fs.mkdirSync(path.join(dir, "0001_bad"), { recursive: true });
    fs.writeFileSync(path.join(dir, "0001_bad/migration.sql"), "create table ok_table (id int); select * from no_such_table;");
    await expect(applyMigrations(url, dir)).rejects.toThrow(/Migration 0001_bad failed: .*no_such_table/);
    const tables = await query<{ table_name: string }>(url, `select table_name from information_schema.tables where table_name = 'ok_table'`);
    expect(tables).toEqual([]);
    expect(await query(url, `select * from "_prisma_migrations"`)).toEqual([]);
  });

  it("keeps frozen dataset version items immutable", async () => {
    const url = await freshDatabase();
    await applyMigrations(url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`insert into datasets (id, name) values ('00000000-0000-0000-0000-000000000001', 'd')`);
      await client.query(`insert into pairs (id, "datasetId", instruction, "insecureCode", "secureCode", source, "contentHash", "updatedAt")
        values ('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', 'x', 'a', 'b', 'test', 'h', now())`);
      await client.query(`insert into dataset_versions (id, "datasetId", version, name, "contentHash", "splitConfig", selection, "pairCount")
        values ('00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000001', 1, 'v1', 'h', '{}', '{}', 1)`);
      await client.query(`insert into dataset_version_items ("versionId", "pairId", "pairRevision", split, "contentHash")
        values ('00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000002', 1, 'TRAIN', 'h')`);
      await expect(client.query(`update dataset_version_items set split = 'TEST'`)).rejects.toThrow(/immutable/);
      await expect(client.query(`delete from dataset_version_items`)).rejects.toThrow(/immutable/);
      const rows = await client.query(`select split from dataset_version_items`);
      expect(rows.rows).toEqual([{ split: "TRAIN" }]);
    } finally {
      await client.end();
    }
  });
});
