// Starts one embedded PostgreSQL for the whole test run (unless TEST_DATABASE_URL names a server) and applies
// the committed migrations, so integration tests talk to a real server. Each test creates and removes its own rows.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../lib/db/embedded-postgres";

export default async function setup() {
  if (process.env.TEST_DATABASE_URL) {
    process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
  } else {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "disco-test-pg-"));
    const db = await startEmbeddedPostgres({ dataDir: path.join(root, "data"), persistent: false, database: "disco_test" });
    process.env.DATABASE_URL = db.url;
    process.env.TEST_DATABASE_URL = db.url;
    const migrationsDir = path.resolve("prisma/migrations");
    if (fs.existsSync(migrationsDir)) {
      const { applyMigrations } = await import("../lib/db/migrate");
      await applyMigrations(db.url, migrationsDir);
    }
    return async () => {
      await db.stop();
      fs.rmSync(root, { recursive: true, force: true });
    };
  }
}
