// Applies the committed Prisma migrations (prisma/migrations/<name>/migration.sql) without Prisma's schema engine,
// which cannot be downloaded here. Rows in `_prisma_migrations` are written exactly as `prisma migrate deploy` writes
// them (checksum = sha256 of migration.sql), so the Prisma CLI sees the same history on machines that do have the engine.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { projectRoot } from "../project-root";

export type MigrationFile = { name: string; sql: string; checksum: string };
export type MigrationStatus = { applied: string[]; pending: string[]; modified: string[] };

const MIGRATIONS_TABLE_SQL = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// Any fixed number: serialises concurrent migrators (the web app and a worker starting together).
const MIGRATION_LOCK_KEY = 72707369;

export const defaultMigrationsDir = () => path.join(projectRoot(), "prisma", "migrations");

export function readMigrations(dir: string = defaultMigrationsDir()): MigrationFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(/* turbopackIgnore: true */ dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

async function readAppliedRows(client: pg.Client) {
  await client.query(MIGRATIONS_TABLE_SQL);
  const result = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
    `select migration_name, checksum, finished_at, rolled_back_at from "_prisma_migrations" order by started_at`,
  );
  return result.rows.filter((row) => row.rolled_back_at === null);
}

export async function getMigrationStatus(databaseUrl: string, dir: string = defaultMigrationsDir()): Promise<MigrationStatus> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rows = await readAppliedRows(client);
    const files = readMigrations(dir);
    const finished = new Map(rows.filter((row) => row.finished_at).map((row) => [row.migration_name, row.checksum]));
    return {
      applied: files.filter((file) => finished.has(file.name)).map((file) => file.name),
      pending: files.filter((file) => !finished.has(file.name)).map((file) => file.name),
      modified: files.filter((file) => finished.has(file.name) && finished.get(file.name) !== file.checksum).map((file) => file.name),
    };
  } finally {
    await client.end();
  }
}

/** Applies every pending migration, each in its own transaction. Returns the names applied now. */
export async function applyMigrations(databaseUrl: string, dir: string = defaultMigrationsDir()): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const appliedNow: string[] = [];
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    const rows = await readAppliedRows(client);
    const unfinished = rows.find((row) => !row.finished_at);
    if (unfinished) {
      throw new Error(
        `Migration ${unfinished.migration_name} started but never finished; fix the database by hand, then delete its row from _prisma_migrations.`,
      );
    }
    const appliedChecksums = new Map(rows.map((row) => [row.migration_name, row.checksum]));
    for (const migration of readMigrations(dir)) {
      const known = appliedChecksums.get(migration.name);
      if (known !== undefined) {
        if (known !== migration.checksum) {
          throw new Error(`Migration ${migration.name} was edited after it was applied (checksum differs); add a new migration instead.`);
        }
        continue;
      }
      const id = crypto.randomUUID();
      await client.query("begin");
      try {
        await client.query(`insert into "_prisma_migrations" (id, checksum, migration_name, started_at) values ($1, $2, $3, now())`, [
          id,
          migration.checksum,
          migration.name,
        ]);
        await client.query(migration.sql);
        await client.query(`update "_prisma_migrations" set finished_at = now(), applied_steps_count = 1 where id = $1`, [id]);
        await client.query("commit");
      } catch (error) {
        await client.query("rollback");
        throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`);
      }
      appliedNow.push(migration.name);
    }
    return appliedNow;
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}
