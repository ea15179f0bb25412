// Gives a CLI command a database: DATABASE_URL, else the running app's embedded server, else a temporary embedded one.
import { disconnectDb } from "../lib/db/client";
import { resolveDatabase } from "../lib/db/resolve-database";
import { stopBoss } from "../lib/jobs/boss";

export async function withDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const database = await resolveDatabase({ allowStartEmbedded: true });
  process.env.DATABASE_URL = database.url;
  try {
    return await work(database.url);
  } finally {
    await stopBoss({ graceful: false, timeout: 2000 }).catch(() => {});
    await disconnectDb();
    await database.stop();
  }
}
