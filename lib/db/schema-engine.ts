// Runs Prisma's schema engine offline. The CLI's native `schema-engine` binary is downloaded from a host that is
// blocked here, but the `prisma` package ships the same engine compiled to WebAssembly; it talks to the database
// through a driver adapter (@prisma/adapter-pg) instead of its own network code, so no binary is needed.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
} from "@prisma/driver-adapter-utils";
import pg from "pg";

export type SchemaFile = { path: string; content: string };

type DiffTarget =
  | { tag: "empty" }
  | { tag: "schemaDatasource"; files: SchemaFile[]; configDir: string }
  | { tag: "schemaDatamodel"; files: SchemaFile[] };

type WasmSchemaEngine = {
  diff(params: {
    from: DiffTarget;
    to: DiffTarget;
    script: boolean;
    exitCode: boolean | null;
    filters: { externalTables: string[]; externalEnums: string[] };
  }): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
};

type Glue = {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
  version(): string;
  SchemaEngine: {
    "new"(options: { datamodels?: [string, string][] }, log: (line: string) => void, adapterFactory: object): Promise<WasmSchemaEngine>;
  };
};

// The wasm-bindgen glue comes from the devDependency @prisma/schema-engine-wasm (pinned to the build whose bindings
// match the .wasm that the `prisma` CLI ships); the CLI package itself ships the .wasm but not this glue.
const GLUE_MODULE = "@prisma/schema-engine-wasm/schema_engine_bg";
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

function prismaWasmPath(): string {
  const prismaPackageJson = createRequire(import.meta.url).resolve("prisma/package.json");
  return path.join(path.dirname(prismaPackageJson), "build", "schema_engine_bg.wasm");
}

type PanicRegistry = { set_message(message: string): void; get?(): string; message?: string };
let lastPanic = "";

// The engine reports a Rust panic's reason through this global just before it traps; without it a panic shows up as
// a bare "RuntimeError: unreachable". Keep one that Prisma itself may already have installed in this process.
function installPanicRegistry() {
  const holder = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry };
  const previous = holder.PRISMA_WASM_PANIC_REGISTRY;
  holder.PRISMA_WASM_PANIC_REGISTRY = {
    set_message(message: string) {
      lastPanic = message;
      previous?.set_message(message);
    },
    get: () => lastPanic,
  };
}

let enginePromise: Promise<Glue> | null = null;
// After a trap the instance's memory is in an unknown state, and the glue module caches views of that memory, so
// the only safe recovery is a new process.
let crashed = false;

async function loadGlue(): Promise<Glue> {
  const wasmPath = prismaWasmPath();
  if (!fs.existsSync(wasmPath)) {
    throw new Error(`The WebAssembly schema engine is missing: ${wasmPath} does not exist (is the \`prisma\` devDependency installed?).`);
  }
  const module = await WebAssembly.compile(fs.readFileSync(wasmPath));
  // A variable specifier keeps TypeScript from type-checking the generated glue; `Glue` above is its contract.
  const glueSpecifier: string = GLUE_MODULE;
  const glue = (await import(glueSpecifier)) as Glue & Record<string, unknown>;
  // wasm-bindgen names every import after a hash of its signature, so a glue file from another engine build either
  // matches exactly or fails in obscure ways later; check up front and say what to do.
  const missing = WebAssembly.Module.imports(module)
    .filter((entry) => typeof glue[entry.name] !== "function")
    .map((entry) => entry.name);
  if (missing.length > 0) {
    throw new Error(
      `${wasmPath} does not match the glue in ${GLUE_MODULE} (${missing.length} bindings missing, e.g. ${missing[0]}); ` +
        "the prisma package was probably upgraded: pin @prisma/schema-engine-wasm to the version whose hash suffix matches @prisma/engines-version.",
    );
  }
  installPanicRegistry();
  const moduleName = WebAssembly.Module.imports(module)[0]?.module ?? "./schema_engine_bg.js";
  const instance = await WebAssembly.instantiate(module, { [moduleName]: glue as unknown as WebAssembly.ModuleImports });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return glue;
}

/** Loads the engine once per process; a failed load is not cached so the error repeats with its real cause. */
function getGlue(): Promise<Glue> {
  if (crashed) return Promise.reject(new Error(`The schema engine crashed earlier in this process (${lastPanic}); start a new process.`));
  enginePromise ??= loadGlue().catch((error) => {
    enginePromise = null;
    throw error;
  });
  return enginePromise;
}

export async function schemaEngineVersion(): Promise<string> {
  return (await getGlue()).version();
}

// adapter-pg 7.10.1 rejects PostgreSQL's one-byte `"char"` type (OID 18), which the engine's introspection queries
// read from the catalogs (pg_constraint.contype and others) and then expect as a Rust `char`. The client below reports
// such columns as text so the adapter accepts the result, remembers them by their rows array (the adapter passes
// that array through unchanged), and the adapter wrapper then labels them `Character` for the engine.
const charColumnsByRows = new WeakMap<object, number[]>();

type PgResultLike = { fields?: { dataTypeID: number }[]; rows?: unknown[] };

function relabelCharColumns<T>(result: T): T {
  for (const single of (Array.isArray(result) ? result : [result]) as PgResultLike[]) {
    const indexes: number[] = [];
    single?.fields?.forEach((field, index) => {
      if (field.dataTypeID === PG_CHAR_OID) {
        field.dataTypeID = PG_TEXT_OID;
        indexes.push(index);
      }
    });
    if (indexes.length > 0 && single.rows) charColumnsByRows.set(single.rows, indexes);
  }
  return result;
}

class CharTolerantClient extends pg.Client {
  // pg-pool calls query() with a callback, the adapter without one (promise); both paths must be relabelled.
  override query(...args: any[]): any {
    const last = args[args.length - 1];
    if (typeof last === "function") {
      args[args.length - 1] = (error: unknown, result: unknown) => last(error, error ? result : relabelCharColumns(result));
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
    const returned = (super.query as (...a: unknown[]) => unknown)(...args);
    return returned instanceof Promise ? returned.then(relabelCharColumns) : returned;
  }
}

function restoreCharColumns(result: SqlResultSet): SqlResultSet {
  for (const index of charColumnsByRows.get(result.rows) ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
  return result;
}

function wrapQueryable<T extends SqlDriverAdapter | Transaction>(target: T): T {
  return new Proxy(target, {
    get(object, property) {
      if (property === "queryRaw") return async (query: SqlQuery) => restoreCharColumns(await object.queryRaw(query));
      if (property === "startTransaction" && "startTransaction" in object) {
        return async (...args: Parameters<SqlDriverAdapter["startTransaction"]>) => wrapQueryable(await object.startTransaction(...args));
      }
      const value = Reflect.get(object, property, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

function adapterFactoryFor(pool: pg.Pool): SqlMigrationAwareDriverAdapterFactory {
  const inner = new PrismaPg(pool);
  return {
    adapterName: inner.adapterName,
    provider: inner.provider,
    connect: async () => wrapQueryable(await inner.connect()),
    connectToShadowDb: async () => wrapQueryable(await inner.connectToShadowDb()),
  };
}

export type DiffOptions = {
  /** Database whose current tables are the starting point (e.g. one with every committed migration applied). */
  databaseUrl: string;
  /** The Prisma schema file(s) describing the desired end state. */
  schemaFiles: SchemaFile[];
  /** Receives the engine's JSON log lines. */
  log?: (line: string) => void;
};

export type DiffResult = { empty: boolean; sql: string };

/** The SQL that turns the database at `databaseUrl` into the datamodel of `schemaFiles` (`prisma migrate diff --script`). */
export async function diffDatabaseToSchema(options: DiffOptions): Promise<DiffResult> {
  const glue = await getGlue();
  const pool = new pg.Pool({ connectionString: options.databaseUrl, Client: CharTolerantClient, max: 2 });
  let engine: WasmSchemaEngine | undefined;
  try {
    const factory = bindMigrationAwareSqlAdapterFactory(adapterFactoryFor(pool));
    const datamodels = options.schemaFiles.map((file): [string, string] => [file.path, file.content]);
    engine = await glue.SchemaEngine.new({ datamodels }, options.log ?? (() => {}), factory);
    const result = await engine.diff({
      from: { tag: "schemaDatasource", files: options.schemaFiles, configDir: path.dirname(options.schemaFiles[0]?.path ?? ".") },
      to: { tag: "schemaDatamodel", files: options.schemaFiles },
      script: true,
      // Makes the engine report an empty migration as exit code 0 and any change as 2, so no SQL parsing is needed.
      exitCode: true,
      filters: { externalTables: [], externalEnums: [] },
    });
    return { empty: result.exitCode === 0, sql: result.stdout ?? "" };
  } catch (error) {
    throw describeEngineError(error);
  } finally {
    try {
      engine?.free();
    } catch {
      // Freeing after a crash traps again; the process is expected to exit soon after.
    }
    await pool.end().catch(() => {});
  }
}

function describeEngineError(error: unknown): Error {
  if (error instanceof WebAssembly.RuntimeError) {
    crashed = true;
    return new Error(`The schema engine crashed: ${lastPanic || error.message}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}
