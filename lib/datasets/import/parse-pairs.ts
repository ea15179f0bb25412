// Pure parsers from each import format to validated pair rows. A bad row never stops the good ones: it is reported with
// the file line it starts on and a reason a person can act on. No database, Next or React here, so the CLI and tests
// use the same code as the import job.
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { z } from "zod";
import { normalizeCwe } from "../../analyzers/cwe";
import type { TImportFormat } from "./formats";

const nonBlank = (what: string) => z.string({ error: `${what} is missing` }).refine((value) => value.trim().length > 0, { message: `${what} is empty` });

/** One pair as it will be stored: the content fields of revision 1 plus the pair's own metadata. */
export const ZImportedPair = z
  .object({
    instruction: nonBlank("instruction"),
    insecureCode: nonBlank("insecure code"),
    secureCode: nonBlank("secure code"),
    reasonInsecure: z.string({ error: "reasonInsecure must be a string" }).default(""),
    reasonSecure: z.string({ error: "reasonSecure must be a string" }).default(""),
    reasoning: z.string({ error: "reasoning must be a string" }).default(""),
    cweId: z.string({ error: "cweId must be a string" }).nullable().default(null),
    cweTitle: z.string({ error: "cweTitle must be a string" }).nullable().default(null),
    packageName: z.string({ error: "packageName must be a string" }).nullable().default(null),
    language: z.string().min(1, { message: "language is empty" }).default("python"),
  })
  .refine((pair) => pair.insecureCode !== pair.secureCode, { message: "secure code is identical to the insecure code" });
export type TImportedPair = z.infer<typeof ZImportedPair>;

export type TInvalidRow = { line: number; reason: string };
export type TParsedRow = { line: number; pair: TImportedPair; cweDescription?: string };
export type TParseResult = { total: number; rows: TParsedRow[]; invalid: TInvalidRow[] };

/** A row that cannot become a pair; the message is the reported reason. */
class RowError extends Error {}

function describeIssues(error: z.ZodError): string {
  // Every field's schema carries a message naming the field in words, so the path would only repeat it.
  return error.issues.map((issue) => issue.message).join("; ");
}

function cweOrRowError(value: unknown, field: string): string | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value !== "string" && typeof value !== "number") throw new RowError(`${field} must be a string like "CWE-79", got ${JSON.stringify(value)}`);
  try {
    return normalizeCwe(value);
  } catch {
    throw new RowError(`unknown CWE format in ${field}: ${JSON.stringify(value)} (expected e.g. "CWE-79" or "cwe-079")`);
  }
}

// ---- DiSCo reasoning ------------------------------------------------------------------------------------------

const REASONING_OPENING = /^\s*The code may have the vulnerability ([^:\s]+):\s*'(.*?)'\.\s*/s;

export type TDiscoReasoning = { cweId: string; cweTitle: string; description: string | null; reasonInsecure: string; reasonSecure: string };

/**
 * Splits DiSCo's R ("The code may have the vulnerability CWE-n: 'title'. <description><r-><r+>", the parts run together
 * with no space) into its parts. The parts are found at a sentence end directly followed by a capital letter; when that
 * does not give exactly three parts the boundaries are ambiguous, so description, r- and r+ are left empty rather than
 * guessed (the full R is always kept). Throws RowError when the opening or its CWE id is missing or malformed.
 */
export function parseDiscoReasoning(reasoning: string): TDiscoReasoning {
  const opening = REASONING_OPENING.exec(reasoning);
  if (!opening) throw new RowError(`Reasoning does not start with "The code may have the vulnerability CWE-<n>: '<title>'.", so its CWE cannot be recovered`);
  const cweId = cweOrRowError(opening[1], "Reasoning")!;
  const rest = reasoning.slice(opening[0].length).trim();
  const parts = rest.split(/(?<=[.!?])(?=[A-Z`])/);
  const clean = parts.length === 3;
  return {
    cweId,
    cweTitle: opening[2]!.trim(),
    description: clean ? parts[0]!.trim() : null,
    reasonInsecure: clean ? parts[1]!.trim() : "",
    reasonSecure: clean ? parts[2]!.trim() : "",
  };
}

// ---- per-format row mappers -----------------------------------------------------------------------------------

const EXTENSION_LANGUAGE: Record<string, string> = {
  ".py": "python",
  ".js": "javascript",
  ".jsx": "javascript",
  ".mjs": "javascript",
  ".ts": "typescript",
  ".tsx": "typescript",
  ".rb": "ruby",
  ".c": "c",
  ".h": "c",
  ".cc": "cpp",
  ".cpp": "cpp",
  ".cxx": "cpp",
  ".hpp": "cpp",
  ".go": "go",
  ".java": "java",
  ".php": "php",
  ".rs": "rust",
  ".cs": "csharp",
  ".kt": "kotlin",
  ".swift": "swift",
  ".scala": "scala",
};

/** "app/views.py" -> "python"; unknown extensions are kept as the bare extension so nothing is silently relabelled. */
export function languageFromFileName(fileName: string): string | null {
  const extension = path.extname(fileName).toLowerCase();
  if (!extension) return null;
  return EXTENSION_LANGUAGE[extension] ?? extension.slice(1);
}

function requireObject(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new RowError(`expected a JSON object, got ${Array.isArray(value) ? "an array" : JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

function optionalString(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new RowError(`${key} must be a string, got ${typeof value === "object" ? (Array.isArray(value) ? "an array" : "an object") : typeof value}`);
  return value;
}

function mapDiscoCsvRecord(record: Record<string, string>): Omit<TParsedRow, "line"> {
  const instruction = record["Instruction"] ?? record["Prompt"];
  const reasoning = record["Reasoning"] ?? "";
  if (!reasoning.trim()) throw new RowError("Reasoning is empty, so its CWE cannot be recovered");
  const parsed = parseDiscoReasoning(reasoning);
  return {
    pair: validate({
      instruction,
      insecureCode: record["Vulnerable Code"],
      secureCode: record["Secure Code"],
      reasoning,
      reasonInsecure: parsed.reasonInsecure,
      reasonSecure: parsed.reasonSecure,
      cweId: parsed.cweId,
      cweTitle: parsed.cweTitle,
    }),
    cweDescription: parsed.description ?? undefined,
  };
}

function mapDiscoJsonl(value: unknown): Omit<TParsedRow, "line"> {
  const record = requireObject(value);
  const cweId = cweOrRowError(record.cweId, "cweId");
  return {
    pair: validate({
      instruction: optionalString(record, "instruction"),
      insecureCode: optionalString(record, "insecureCode"),
      secureCode: optionalString(record, "secureCode"),
      reasonInsecure: optionalString(record, "reasonInsecure"),
      reasonSecure: optionalString(record, "reasonSecure"),
      reasoning: optionalString(record, "reasoning"),
      cweId,
      cweTitle: optionalString(record, "cweTitle") ?? null,
      packageName: optionalString(record, "packageName") ?? null,
      language: optionalString(record, "language"),
    }),
  };
}

function mapSafecoder(value: unknown): Omit<TParsedRow, "line"> {
  const record = requireObject(value);
  const fileName = optionalString(record, "file_name");
  return {
    pair: validate({
      instruction: optionalString(record, "description"),
      insecureCode: optionalString(record, "func_src_before"),
      secureCode: optionalString(record, "func_src_after"),
      cweId: cweOrRowError(record.vul_type, "vul_type"),
      language: (fileName && languageFromFileName(fileName)) ?? undefined,
    }),
  };
}

function mapTrl(value: unknown): Omit<TParsedRow, "line"> {
  const record = requireObject(value);
  for (const key of ["prompt", "chosen", "rejected"]) {
    if (Array.isArray(record[key])) throw new RowError(`${key} is a list of messages (conversational TRL); only the standard format with plain strings is supported`);
  }
  // Our own export adds metadata columns; reading them back makes export -> import lossless for what they carry.
  return {
    pair: validate({
      instruction: optionalString(record, "prompt"),
      secureCode: optionalString(record, "chosen"),
      insecureCode: optionalString(record, "rejected"),
      reasoning: optionalString(record, "reasoning"),
      cweId: cweOrRowError(record.cwe, "cwe"),
      packageName: optionalString(record, "package") ?? null,
      language: optionalString(record, "language"),
    }),
  };
}

function validate(input: Record<string, unknown>): TImportedPair {
  const result = ZImportedPair.safeParse(Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)));
  if (!result.success) throw new RowError(describeIssues(result.error));
  return result.data;
}

// ---- whole files ----------------------------------------------------------------------------------------------

function stripBom(content: string): string {
  return content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
}

/** One JSON object per line; blank lines are skipped, and line numbers are the file's (1-based). */
function parseJsonl(content: string, map: (value: unknown) => Omit<TParsedRow, "line">): TParseResult {
  const result: TParseResult = { total: 0, rows: [], invalid: [] };
  const lines = stripBom(content).split("\n");
  lines.forEach((raw, index) => {
    const text = raw.trim();
    if (!text) return;
    const line = index + 1;
    result.total++;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      result.invalid.push({ line, reason: `invalid JSON: ${(error as Error).message}` });
      return;
    }
    try {
      result.rows.push({ line, ...map(value) });
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      result.invalid.push({ line, reason: error.message });
    }
  });
  return result;
}

const CSV_REQUIRED = ["Secure Code", "Vulnerable Code", "Reasoning"] as const;

/** The DiSCo CSV. A row's line is the line its record starts on (quoted code spans many lines). */
function parseDiscoCsv(content: string): TParseResult {
  const text = stripBom(content);
  const lines = text.split("\n");
  const result: TParseResult = { total: 0, rows: [], invalid: [] };
  let previousEnd = 1; // the header
  // The first non-blank line after the previous record: where the next record starts.
  const startAfter = (end: number) => {
    let line = end + 1;
    while (line <= lines.length && !lines[line - 1]!.trim()) line++;
    return line;
  };
  let header: string[] = [];
  parseCsv(text, {
    columns: (names: string[]) => {
      header = names;
      const missing = CSV_REQUIRED.filter((name) => !names.includes(name));
      if (!names.includes("Instruction") && !names.includes("Prompt")) missing.unshift("Instruction" as never);
      if (missing.length) throw new ImportFileError(`the CSV header lacks the column${missing.length > 1 ? "s" : ""} ${missing.map((name) => `"${name}"`).join(", ")} (found: ${names.map((name) => `"${name}"`).join(", ")})`);
      return names;
    },
    skip_empty_lines: true,
    skip_records_with_error: true,
    relax_column_count: false,
    on_skip: (error) => {
      const line = startAfter(previousEnd);
      result.total++;
      result.invalid.push({ line, reason: `malformed CSV record: ${error?.message ?? "unreadable"}` });
      previousEnd = typeof (error as { lines?: unknown } | undefined)?.lines === "number" ? (error as unknown as { lines: number }).lines : previousEnd + 1;
    },
    on_record: (record: Record<string, string>, context) => {
      const line = startAfter(previousEnd);
      previousEnd = context.lines;
      result.total++;
      try {
        result.rows.push({ line, ...mapDiscoCsvRecord(record) });
      } catch (error) {
        if (!(error instanceof RowError)) throw error;
        result.invalid.push({ line, reason: error.message });
      }
      return null;
    },
  });
  if (header.length === 0) throw new ImportFileError("the file is empty: expected a CSV header line");
  return result;
}

/** The whole file cannot be read as this format (no header, wrong columns): nothing is imported. */
export class ImportFileError extends Error {}

export function parsePairs(content: string, format: TImportFormat): TParseResult {
  switch (format) {
    case "disco-csv":
      return parseDiscoCsv(content);
    case "disco-jsonl":
      return parseJsonl(content, mapDiscoJsonl);
    case "safecoder":
      return parseJsonl(content, mapSafecoder);
    case "trl":
      return parseJsonl(content, mapTrl);
  }
}
