// Finds the database a process should use: DATABASE_URL when set; otherwise the embedded server that `npm start`
// is already running (it records itself in .data/runtime.json); otherwise, if allowed, starts the embedded server.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { projectRoot } from "../project-root";
import { findFreePort, startEmbeddedPostgres } from "./embedded-postgres";
import net from "node:net";

export function dataDir(): string {
  return path.resolve(process.env.DISCO_DATA_DIR ?? path.join(projectRoot(), ".data"));
}
const runtimeFile = () => path.join(dataDir(), "runtime.json");

export type ResolvedDatabase = { url: string; source: "env" | "running-embedded" | "started-embedded"; stop: () => Promise<void> };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export function readRuntimeFile(): { url: string; pid: number } | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(runtimeFile(), "utf8")) as { url?: unknown; pid?: unknown };
    return typeof parsed.url === "string" && typeof parsed.pid === "number" ? { url: parsed.url, pid: parsed.pid } : null;
  } catch {
    return null;
  }
}

export async function resolveDatabase(options: { allowStartEmbedded: boolean; log?: (line: string) => void }): Promise<ResolvedDatabase> {
  const noop = async () => {};
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, source: "env", stop: noop };

  const running = readRuntimeFile();
  if (running && isAlive(running.pid) && (await canConnect(running.url))) return { url: running.url, source: "running-embedded", stop: noop };

  if (!options.allowStartEmbedded) {
    throw new Error("No database: set DATABASE_URL, or start the app with `npm start` so its embedded PostgreSQL is running.");
  }
  fs.mkdirSync(dataDir(), { recursive: true });
  const preferred = Number(process.env.DISCO_PG_PORT ?? 54329);
  const port = (await isPortFree(preferred)) ? preferred : await findFreePort();
  const db = await startEmbeddedPostgres({ dataDir: path.join(dataDir(), "pg"), port, persistent: true, log: options.log });
  fs.writeFileSync(runtimeFile(), JSON.stringify({ url: db.url, pid: process.pid }, null, 2));
  return {
    url: db.url,
    source: "started-embedded",
    stop: async () => {
      const current = readRuntimeFile();
      if (current?.pid === process.pid) fs.rmSync(runtimeFile(), { force: true });
      await db.stop();
    },
  };
}
