// CodeQL over a batch of snippets, for machines that have the CLI: one source folder (a file per snippet), one
// database (`codeql database create --language=python --source-root <dir>`), one analysis with the Python security
// queries (`codeql database analyze <db> <queries> --format=sarif-latest --output=<file>`), SARIF parsed by sarif.ts.
// The default query set is every query in the Python pack's Security folder, as the paper ran it (method.md 6).
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TCodeSide, TFinding } from "./finding";
import { parseSarif, type SarifToolError } from "./sarif";

export const DEFAULT_CODEQL_QUERIES = "codeql/python-queries:Security";
/** GitHub's curated alternative (what code scanning runs as "security-extended"). */
export const CODEQL_SECURITY_EXTENDED_SUITE = "codeql/python-queries:codeql-suites/python-security-extended.qls";

export class CodeqlNotFoundError extends Error {
  constructor(command: string) {
    super(`the CodeQL CLI is not installed or not runnable ("${command}"); download the CodeQL bundle from GitHub`);
    this.name = "CodeqlNotFoundError";
  }
}

export class CodeqlRunError extends Error {
  constructor(
    message: string,
    readonly step: "database create" | "database analyze",
    readonly stderr: string,
  ) {
    super(message);
    this.name = "CodeqlRunError";
  }
}

export type CodeqlSnippet = { id?: string; code: string };

export type CodeqlSnippetResult = {
  index: number;
  snippetId: string;
  findings: TFinding[];
  /** Notifications CodeQL attached to this file (extraction errors on unparsable code...). */
  errors: { level: string; message: string; id?: string }[];
};

export type CodeqlBatchResult = {
  version: string;
  results: CodeqlSnippetResult[];
  /** Notifications that name no file of the batch. */
  runErrors: SarifToolError[];
  durationMs: number;
};

export type CodeqlOptions = {
  codeql?: string;
  side?: TCodeSide;
  /** Query pack path, suite or .ql files; default every query in the Security folder. */
  queries?: string | string[];
  /** --threads; 0 = one per core (CodeQL's meaning). */
  threads?: number;
  timeoutMs?: number;
};

type ExecResult = { code: number | null; stdout: string; stderr: string; spawnError?: boolean };

function run(cmd: string, args: string[], timeoutMs: number): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 1 << 30, encoding: "utf8" }, (error, stdout, stderr) => {
      const e = error as (Error & { code?: number | string }) | null;
      if (e && typeof e.code === "string") return resolve({ code: null, stdout, stderr, spawnError: true });
      resolve({ code: e ? ((e.code as number | undefined) ?? null) : 0, stdout, stderr });
    });
  });
}

/** Whether the CodeQL CLI is available, and its version. Never throws. */
export async function detectCodeql(codeql = "codeql"): Promise<{ available: boolean; version?: string }> {
  try {
    const r = await run(codeql, ["version", "--format=json"], 60_000);
    if (r.spawnError || r.code !== 0) return { available: false };
    try {
      const v = JSON.parse(r.stdout) as { version?: string };
      return { available: true, version: v.version ?? "unknown" };
    } catch {
      const m = /(\d+\.\d+\.\d+)/.exec(r.stdout);
      return { available: true, version: m ? m[1] : "unknown" };
    }
  } catch {
    return { available: false };
  }
}

export async function runCodeql(
  snippets: readonly (string | CodeqlSnippet)[],
  options: CodeqlOptions = {},
): Promise<CodeqlBatchResult> {
  const codeql = options.codeql ?? "codeql";
  const side = options.side ?? "generation";
  const detected = await detectCodeql(codeql);
  if (!detected.available) throw new CodeqlNotFoundError(codeql);
  const items = snippets.map((s, k) => (typeof s === "string" ? { id: String(k), code: s } : { id: s.id ?? String(k), code: s.code }));
  if (items.length === 0) return { version: detected.version!, results: [], runErrors: [], durationMs: 0 };

  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 1_800_000;
  const threads = String(options.threads ?? 0);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "disco-codeql-"));
  try {
    const src = path.join(dir, "src");
    const db = path.join(dir, "db");
    const sarifFile = path.join(dir, "results.sarif");
    await fs.mkdir(src);
    const width = String(items.length).length;
    const names = items.map((_, k) => `snippet_${String(k).padStart(width, "0")}.py`);
    await Promise.all(items.map((it, k) => fs.writeFile(path.join(src, names[k]), it.code, "utf8")));

    const create = await run(
      codeql,
      ["database", "create", db, "--language=python", `--source-root=${src}`, `--threads=${threads}`, "--overwrite"],
      timeoutMs,
    );
    if (create.code !== 0) {
      throw new CodeqlRunError(`codeql database create failed (exit ${create.code})`, "database create", create.stderr);
    }
    const queries = Array.isArray(options.queries) ? options.queries : [options.queries ?? DEFAULT_CODEQL_QUERIES];
    const analyze = await run(
      codeql,
      ["database", "analyze", db, ...queries, "--format=sarif-latest", `--output=${sarifFile}`, `--threads=${threads}`],
      timeoutMs,
    );
    if (analyze.code !== 0) {
      throw new CodeqlRunError(`codeql database analyze failed (exit ${analyze.code})`, "database analyze", analyze.stderr);
    }
    const parsed = parseSarif(JSON.parse(await fs.readFile(sarifFile, "utf8")), side);

    // SARIF URIs are relative to the source root ("snippet_03.py"), or absolute file: URIs.
    const indexOf = new Map(names.map((n, k) => [n, k]));
    const locate = (file: string | null): number | undefined => {
      if (file === null) return undefined;
      const rel = path.isAbsolute(file) ? path.relative(src, file) : file.replace(/^\.\//, "");
      return indexOf.get(rel.split(path.sep).join("/"));
    };
    const results: CodeqlSnippetResult[] = items.map((it, k) => ({ index: k, snippetId: it.id, findings: [], errors: [] }));
    for (const { file, finding } of parsed.findings) {
      const k = locate(file);
      if (k === undefined) continue; // a finding in a library file CodeQL extracted, not in our snippets
      results[k].findings.push({ ...finding, snippetId: items[k].id });
    }
    const runErrors: SarifToolError[] = [];
    for (const e of parsed.errors) {
      const k = locate(e.file);
      if (k === undefined) runErrors.push(e);
      else results[k].errors.push({ level: e.level, message: e.message, ...(e.id ? { id: e.id } : {}) });
    }
    return { version: detected.version!, results, runErrors, durationMs: performance.now() - started };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
