// The one Prisma client of every process (web app, worker, CLI). Prisma 7 talks to PostgreSQL through the `pg`
// driver adapter, so no query-engine binary is needed.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";

export type Db = InstanceType<typeof PrismaClient>;

const globalForDb = globalThis as unknown as { discoDb?: Db; discoDbUrl?: string };

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm start` (embedded PostgreSQL) or export DATABASE_URL.");
  return url;
}

function createClient(url: string): Db {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) }),
    // Password hashes never leave the database layer unless a caller asks for them explicitly.
    omit: { user: { passwordHash: true } },
  }) as unknown as Db;
}

/** The shared client; created lazily so importing this module never needs a database. */
export function getDb(): Db {
  const url = databaseUrl();
  if (!globalForDb.discoDb || globalForDb.discoDbUrl !== url) {
    globalForDb.discoDb = createClient(url);
    globalForDb.discoDbUrl = url;
  }
  return globalForDb.discoDb;
}

export async function disconnectDb(): Promise<void> {
  if (globalForDb.discoDb) await globalForDb.discoDb.$disconnect();
  globalForDb.discoDb = undefined;
}
