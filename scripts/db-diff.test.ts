// End-to-end: the real WebAssembly schema engine against a real (embedded) PostgreSQL, in a temp folder, so it runs
// whatever state prisma/schema.prisma and prisma/migrations are in.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main, nextMigrationTimestamp, parseArgs, sanitizeMigrationName } from "./db-diff";

const SCHEMA = `generator client {
  provider = "prisma-client"
  output   = "./generated"
}

datasource db {
  provider = "postgresql"
}

model Note {
  id    Int    @id @default(autoincrement())
  title String
}
`;

let dir: string;
let schemaPath: string;
let migrationsDir: string;

async function run(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(
    [...args, "--schema", schemaPath, "--migrations", migrationsDir],
    (text) => (stdout += text),
    (text) => (stderr += text),
  );
  return { code, stdout, stderr };
}

function migrationFolders() {
  return fs.readdirSync(migrationsDir).filter((entry) => fs.statSync(path.join(migrationsDir, entry)).isDirectory()).sort();
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "db-diff-test-"));
  schemaPath = path.join(dir, "schema.prisma");
  migrationsDir = path.join(dir, "migrations");
  fs.writeFileSync(schemaPath, SCHEMA);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("db-diff", () => {
  // Each run starts its own PostgreSQL (~1.5 s here), so the steps build on each other like a developer's session
  // and only the essential runs are made.
  it("exits 1 from the command line under --check when there are no migrations yet, writing nothing", async () => {
    const tsx = path.resolve("node_modules/.bin/tsx");
    const args = ["scripts/db-diff.ts", "--check", "--schema", schemaPath, "--migrations", migrationsDir];
    const result = await promisify(execFile)(tsx, args).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('CREATE TABLE "Note"');
    expect(fs.existsSync(migrationsDir)).toBe(false);
  });

  it("writes CREATE TABLE from zero migrations, then agrees, then writes ALTER TABLE for a new column", async () => {
    const init = await run("--name", "init");
    expect(init.code, init.stderr).toBe(0);
    const [initFolder] = migrationFolders();
    expect(initFolder).toMatch(/^\d{14}_init$/);
    const initSql = fs.readFileSync(path.join(migrationsDir, initFolder, "migration.sql"), "utf8");
    expect(init.stdout.trim()).toBe(path.join(migrationsDir, initFolder, "migration.sql"));
    expect(initSql).toContain('CREATE TABLE "Note"');
    expect(initSql).toContain('"title" TEXT NOT NULL');
    expect(fs.readFileSync(path.join(migrationsDir, "migration_lock.toml"), "utf8")).toContain('provider = "postgresql"');

    const agree = await run("--check");
    expect(agree).toMatchObject({ code: 0, stdout: "schema and migrations agree\n" });

    fs.writeFileSync(schemaPath, SCHEMA.replace("  title String\n", "  title String\n  body  String?\n"));
    const add = await run("--name", "Add note body");
    expect(add.code, add.stderr).toBe(0);
    const folders = migrationFolders();
    expect(folders).toHaveLength(2);
    // Generated within the same second as init, yet must still sort after it.
    expect(folders[1]).toMatch(/^\d{14}_add_note_body$/);
    expect(folders[1] > folders[0]).toBe(true);
    const addSql = fs.readFileSync(path.join(migrationsDir, folders[1], "migration.sql"), "utf8");
    expect(addSql).toMatch(/ALTER TABLE "Note" ADD COLUMN\s+"body" TEXT;/);
    expect(addSql).not.toContain("CREATE TABLE");
  });

  it("rejects bad arguments before starting anything", async () => {
    expect(() => parseArgs([])).toThrow(/--name <migration_name>, or --check/);
    expect(() => parseArgs(["--name"])).toThrow(/--name needs a value/);
    expect(() => parseArgs(["--nme", "x"])).toThrow(/Unknown argument --nme/);
    expect(parseArgs(["--check", "--schema=s.prisma"])).toMatchObject({ check: true, schemaPath: "s.prisma", migrationsDir: "prisma/migrations" });
    expect(sanitizeMigrationName(" Add User-Email ")).toBe("add_user_email");
    expect(() => sanitizeMigrationName("--")).toThrow(/no letters or digits/);
    const missing = await main(["--check", "--schema", path.join(dir, "missing.prisma")], () => {}, () => {});
    expect(missing).toBe(2);
  });

  it("keeps new timestamps after the newest existing migration", () => {
    const folder = fs.mkdtempSync(path.join(dir, "stamps-"));
    expect(nextMigrationTimestamp(folder, new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe("20260102030405");
    fs.mkdirSync(path.join(folder, "20990101000059_future"));
    expect(nextMigrationTimestamp(folder, new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe("20990101000100");
  });
});
