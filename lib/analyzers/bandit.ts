// Bandit over a whole batch of snippets: every snippet becomes one file in a temporary folder and
// `bandit -f json -r <dir>` reads them all in one process (~190x faster than one process per file, environment.md).
// Bandit itself costs ~2 ms per 20-line file on one core (its AST visitor), so large batches are cut into one
// contiguous chunk per core, each chunk still a single Bandit process; results are the same either way.
// Its JSON is parsed into our finding shape; CWEs come from our own table (bandit-tests.ts), because Bandit only
// reports CWEs from 1.7.4 on and its blacklist hits say test_name "blacklist". Bandit exits 1 when it finds
// issues, which is success here; per-file tool errors (syntax errors...) are returned per snippet, never dropped.
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { findBanditTest } from "./bandit-tests";
import { tryNormalizeCwe } from "./cwe";
import type { TCodeSide, TConfidence, TFinding, TSeverity } from "./finding";

export class BanditNotFoundError extends Error {
  constructor(command: string, cause?: unknown) {
    super(`bandit is not installed or not runnable ("${command}"); install it, e.g. apt-get install bandit or pip install bandit`);
    this.name = "BanditNotFoundError";
    this.cause = cause;
  }
}

export class BanditRunError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
    this.name = "BanditRunError";
  }
}

export type BanditSnippet = { id?: string; code: string };

export type BanditToolError = { reason: string };

export type BanditSnippetResult = {
  /** Position of the snippet in the batch. */
  index: number;
  snippetId: string;
  findings: TFinding[];
  /** Bandit's own errors for this file (e.g. "syntax error while parsing AST from file"). */
  errors: BanditToolError[];
};

export type BanditBatchResult = {
  version: string;
  results: BanditSnippetResult[];
  durationMs: number;
};

export type BanditOptions = {
  /** Command to run; default "bandit". */
  bandit?: string;
  /** Side recorded on every finding. Default "generation". */
  side?: TCodeSide;
  /** Whole-batch limit. Default 10 minutes. */
  timeoutMs?: number;
  /** Extra arguments (e.g. ["-s", "B101"]); the defaults are Bandit's own, as in the paper. */
  extraArgs?: string[];
  /**
   * Bandit processes run side by side, each over one contiguous chunk. Default: one per core, but never chunks
   * below 500 snippets (a process start costs ~0.3 s).
   */
  processes?: number;
};

const ZBanditIssue = z.object({
  filename: z.string(),
  test_id: z.string(),
  test_name: z.string(),
  issue_severity: z.string(),
  issue_confidence: z.string(),
  issue_text: z.string(),
  line_number: z.number(),
  line_range: z.array(z.number()).optional(),
  // From Bandit 1.7.3 / 1.7.4 on:
  col_offset: z.number().optional(),
  end_col_offset: z.number().optional(),
  issue_cwe: z.object({ id: z.number() }).partial().optional(),
});

const ZBanditReport = z.object({
  errors: z.array(z.object({ filename: z.string(), reason: z.string() })).default([]),
  results: z.array(ZBanditIssue).default([]),
});

export type BanditReport = z.infer<typeof ZBanditReport>;

function severityOf(s: string): TSeverity {
  const v = s.toLowerCase();
  return v === "high" || v === "medium" || v === "low" ? v : "undefined";
}

function confidenceOf(s: string): TConfidence {
  const v = s.toLowerCase();
  return v === "high" || v === "medium" || v === "low" ? v : "undefined";
}

/** One Bandit issue in our shape. */
export function banditIssueToFinding(
  issue: z.infer<typeof ZBanditIssue>,
  side: TCodeSide,
  snippetId?: string,
): TFinding {
  const known = findBanditTest(issue.test_id);
  const cwe = known?.cwe ?? tryNormalizeCwe(issue.issue_cwe?.id);
  const range = issue.line_range && issue.line_range.length ? issue.line_range : [issue.line_number];
  const startLine = Math.max(1, Math.min(issue.line_number, ...range));
  const endLine = Math.max(startLine, ...range);
  return {
    tool: "bandit",
    ruleId: issue.test_id,
    ruleName: known?.name ?? issue.test_name,
    cwe,
    severity: severityOf(issue.issue_severity),
    confidence: confidenceOf(issue.issue_confidence),
    side,
    startLine,
    endLine,
    // Bandit's offsets are 0-based; ours are 1-based like SARIF.
    startColumn: issue.col_offset !== undefined ? issue.col_offset + 1 : null,
    endColumn: issue.end_col_offset !== undefined && issue.end_col_offset >= 0 ? issue.end_col_offset + 1 : null,
    message: issue.issue_text,
    ...(snippetId !== undefined ? { snippetId } : {}),
    ...(cwe ? { cwes: [cwe] } : {}),
  };
}

/**
 * Splits a Bandit JSON report over the batch's files. `files[k]` is the path Bandit was given for snippet k
 * (compared after path.resolve, as Bandit prints what it was given).
 */
export function parseBanditReport(
  report: unknown,
  files: readonly string[],
  snippetIds: readonly string[],
  side: TCodeSide,
): BanditSnippetResult[] {
  const parsed = ZBanditReport.parse(report);
  const indexOf = new Map(files.map((f, k) => [path.resolve(f), k]));
  const results: BanditSnippetResult[] = files.map((_, k) => ({
    index: k,
    snippetId: snippetIds[k],
    findings: [],
    errors: [],
  }));
  const locate = (filename: string): number => {
    const k = indexOf.get(path.resolve(filename));
    if (k === undefined) throw new BanditRunError(`bandit reported a file outside the batch: ${filename}`, null, "");
    return k;
  };
  for (const e of parsed.errors) results[locate(e.filename)].errors.push({ reason: e.reason });
  for (const issue of parsed.results) {
    const k = locate(issue.filename);
    results[k].findings.push(banditIssueToFinding(issue, side, snippetIds[k]));
  }
  return results;
}

type ExecResult = { code: number | null; stdout: string; stderr: string; error?: NodeJS.ErrnoException };

function run(cmd: string, args: string[], timeoutMs: number): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 1 << 30, encoding: "utf8" }, (error, stdout, stderr) => {
      const e = error as (NodeJS.ErrnoException & { code?: number | string }) | null;
      if (e && typeof e.code === "string") return resolve({ code: null, stdout, stderr, error: e });
      resolve({ code: e ? ((e.code as number | undefined) ?? null) : 0, stdout, stderr });
    });
  });
}

/** Whether Bandit is installed, and its version. Never throws. */
export async function detectBandit(bandit = "bandit"): Promise<{ available: boolean; version?: string }> {
  const r = await run(bandit, ["--version"], 30_000);
  if (r.error || r.code !== 0) return { available: false };
  const m = /bandit\s+(\S+)/i.exec(r.stdout + r.stderr);
  return { available: true, version: m ? m[1] : "unknown" };
}

/** Runs Bandit once over every snippet; results come back in batch order. */
export async function runBandit(
  snippets: readonly (string | BanditSnippet)[],
  options: BanditOptions = {},
): Promise<BanditBatchResult> {
  const bandit = options.bandit ?? "bandit";
  const side = options.side ?? "generation";
  const detected = await detectBandit(bandit);
  if (!detected.available) throw new BanditNotFoundError(bandit);
  const items = snippets.map((s, k) => (typeof s === "string" ? { id: String(k), code: s } : { id: s.id ?? String(k), code: s.code }));
  if (items.length === 0) return { version: detected.version!, results: [], durationMs: 0 };

  const started = performance.now();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "disco-bandit-"));
  try {
    const width = String(items.length).length;
    const processes = Math.max(
      1,
      Math.min(options.processes ?? os.availableParallelism(), Math.ceil(items.length / 500), items.length),
    );
    const per = Math.ceil(items.length / processes);
    const chunks = Array.from({ length: processes }, (_, c) => ({
      from: c * per,
      to: Math.min(items.length, (c + 1) * per),
      srcDir: path.join(dir, `chunk_${c}`),
      report: path.join(dir, `report_${c}.json`),
    })).filter((c) => c.from < c.to);
    const files = items.map((_, k) => path.join(chunks[Math.floor(k / per)].srcDir, `snippet_${String(k).padStart(width, "0")}.py`));
    for (const c of chunks) await fs.mkdir(c.srcDir);
    await Promise.all(items.map((it, k) => fs.writeFile(files[k], it.code, "utf8")));
    const reports = await Promise.all(
      chunks.map(async (c) => {
        const args = ["-f", "json", "-o", c.report, "-q", ...(options.extraArgs ?? []), "-r", c.srcDir];
        const r = await run(bandit, args, options.timeoutMs ?? 600_000);
        if (r.error) throw new BanditNotFoundError(bandit, r.error);
        // 0: no issues, 1: issues found. Anything else (or a missing report) is a tool failure.
        const text = await fs.readFile(c.report, "utf8").catch(() => null);
        if ((r.code !== 0 && r.code !== 1) || text === null) {
          throw new BanditRunError(`bandit failed (exit ${r.code}): ${r.stderr.trim().slice(-2000)}`, r.code, r.stderr);
        }
        return ZBanditReport.parse(JSON.parse(text));
      }),
    );
    const merged: BanditReport = {
      errors: reports.flatMap((r) => r.errors),
      results: reports.flatMap((r) => r.results),
    };
    const results = parseBanditReport(
      merged,
      files,
      items.map((it) => it.id),
      side,
    );
    return { version: detected.version!, results, durationMs: performance.now() - started };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
