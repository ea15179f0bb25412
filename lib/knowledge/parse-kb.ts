// Pure parsers from knowledge-base files to validated entries, with the file line each record starts on.
// Two formats:
//  - "disco": DiSCo's rules CSVs. bandit_rules.csv / codeql_rules.csv: `,Title,CWE,Description,Examples` (Examples
//    "NULL" when none); cwe_rules.csv: `,CWE,Title,Description,Extended Description,Examples` (empty when none).
//  - "mitre": MITRE's CWE CSV export (`CWE-ID` a bare integer, `Name`, `Description`, ... with a trailing empty field on
//    each data row) or its slim form `cwe_id,name,abstraction,status,description`.
// A bad row is reported and skipped; a file that cannot be read as the format at all throws KbFileError (nothing imported).
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { normalizeCwe } from "../analyzers/cwe";

import { KB_FORMATS, type TKbFormat, type TKbSource } from "./sources";

export { KB_FORMATS, KB_SOURCES, ZKbFormat, ZKbSource, type TKbFormat, type TKbSource } from "./sources";

/** The limits entries are held to everywhere (import, API, CLI). */
export const KB_LIMITS = { title: 300, description: 20_000, examples: 50_000 } as const;

export type TKbEntryData = { cweId: string; title: string; description: string; examples: string | null; source: TKbSource };
export type TKbParsedRow = { line: number; entry: TKbEntryData };
export type TKbInvalidRow = { line: number; reason: string };
export type TKbParseResult = { format: TKbFormat; source: TKbSource; total: number; rows: TKbParsedRow[]; invalid: TKbInvalidRow[] };

/** The file as a whole cannot be imported (unknown header, unknown source): nothing is written. */
export class KbFileError extends Error {
  readonly status = 400;
  constructor(message: string) {
    super(message);
    this.name = "KbFileError";
  }
}

class RowError extends Error {}

const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

type Columns = { cwe: string; title: string; description: string; examples?: string };

/** Which columns of a header hold what, or null when the header is not this format. */
function columnsFor(format: TKbFormat, header: string[]): Columns | null {
  const has = (name: string) => header.includes(name);
  if (format === "disco") {
    if (has("Title") && has("CWE") && has("Description")) return { cwe: "CWE", title: "Title", description: "Description", examples: has("Examples") ? "Examples" : undefined };
    return null;
  }
  if (has("CWE-ID") && has("Name") && has("Description")) return { cwe: "CWE-ID", title: "Name", description: "Description" };
  if (has("cwe_id") && has("name") && has("description")) return { cwe: "cwe_id", title: "name", description: "description" };
  return null;
}

/** The format a header belongs to, or null. */
export function detectKbFormat(content: string): TKbFormat | null {
  const header = readHeader(content);
  if (!header) return null;
  for (const format of KB_FORMATS) if (columnsFor(format, header)) return format;
  return null;
}

function readHeader(content: string): string[] | null {
  const text = stripBom(content);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  if (!firstLine.trim()) return null;
  try {
    const [header] = parseCsv(firstLine, { to_line: 1, relax_quotes: true }) as string[][];
    return header?.map((h) => h.trim()) ?? null;
  } catch {
    return null;
  }
}

/**
 * The source of a DiSCo rules file: cwe_rules.csv has its own header (with "Extended Description"), the other two are
 * told apart by their file name. MITRE's export is always the CWE catalogue.
 */
export function inferKbSource(format: TKbFormat, fileName: string | undefined, header: string[]): TKbSource | null {
  if (format === "mitre") return "CWE";
  if (header.includes("Extended Description")) return "CWE";
  const base = path.basename(fileName ?? "").toLowerCase();
  if (base.includes("bandit")) return "BANDIT";
  if (base.includes("codeql")) return "CODEQL";
  if (/(^|[^a-z])cwe/.test(base)) return "CWE";
  return null;
}

const NONE_VALUES = new Set(["", "null", "none", "nan"]);

function text(value: string | undefined): string {
  return (value ?? "").replace(/\r\n/g, "\n").trim();
}

function mapRow(record: Record<string, string>, columns: Columns, format: TKbFormat, source: TKbSource): TKbEntryData {
  const rawCwe = text(record[columns.cwe]);
  if (!rawCwe) throw new RowError(`${columns.cwe} is empty`);
  let cweId: string;
  try {
    cweId = normalizeCwe(rawCwe);
  } catch {
    throw new RowError(`${columns.cwe} ${JSON.stringify(rawCwe)} is not a CWE id (expected e.g. "CWE-78"${format === "mitre" ? ' or "78"' : ""})`);
  }
  const title = text(record[columns.title]);
  if (!title) throw new RowError(`${columns.title} is empty`);
  if (title.length > KB_LIMITS.title) throw new RowError(`${columns.title} is longer than ${KB_LIMITS.title} characters`);
  const description = text(record[columns.description]);
  if (!description) throw new RowError(`${columns.description} is empty`);
  if (description.length > KB_LIMITS.description) throw new RowError(`${columns.description} is longer than ${KB_LIMITS.description} characters`);
  const rawExamples = columns.examples ? text(record[columns.examples]) : "";
  const examples = NONE_VALUES.has(rawExamples.toLowerCase()) ? null : rawExamples;
  if (examples && examples.length > KB_LIMITS.examples) throw new RowError(`${columns.examples} is longer than ${KB_LIMITS.examples} characters`);
  return { cweId, title, description, examples, source };
}

export type TParseKbOptions = { format?: TKbFormat; source?: TKbSource; fileName?: string };

export function parseKnowledgeFile(content: string, options: TParseKbOptions = {}): TKbParseResult {
  const body = stripBom(content);
  const header = readHeader(body);
  if (!header) throw new KbFileError("the file is empty: expected a CSV header line");
  const format = options.format ?? detectKbFormat(body);
  if (!format) {
    throw new KbFileError(
      `unrecognized header ${header.map((h) => JSON.stringify(h)).join(",")}: expected DiSCo rules (Title, CWE, Description, Examples) or MITRE CWE (CWE-ID, Name, Description)`,
    );
  }
  const columns = columnsFor(format, header);
  if (!columns) {
    const need = format === "disco" ? '"Title", "CWE", "Description"' : '"CWE-ID", "Name", "Description" (or cwe_id, name, description)';
    throw new KbFileError(`the header lacks the ${format} columns ${need} (found: ${header.map((h) => JSON.stringify(h)).join(", ")})`);
  }
  const source = options.source ?? inferKbSource(format, options.fileName, header);
  if (!source) throw new KbFileError(`cannot tell the source of ${options.fileName ? path.basename(options.fileName) : "this file"}: pass a source (CWE, CODEQL, BANDIT or CUSTOM)`);

  const lines = body.split("\n");
  const result: TKbParseResult = { format, source, total: 0, rows: [], invalid: [] };
  const firstLineOfKey = new Map<string, number>();
  let previousEnd = 1; // the header line
  // Records can span lines (quoted descriptions and examples): a record starts on the first non-blank line after the previous one.
  const startAfter = (end: number) => {
    let line = end + 1;
    while (line <= lines.length && !lines[line - 1]!.trim()) line++;
    return line;
  };
  parseCsv(body, {
    from_line: 2,
    skip_empty_lines: true,
    relax_column_count: true, // MITRE rows carry one more (empty) field than the header
    skip_records_with_error: true,
    on_skip: (error) => {
      const line = startAfter(previousEnd);
      result.total++;
      result.invalid.push({ line, reason: `malformed CSV record: ${error?.message ?? "unreadable"}` });
      const end = (error as { lines?: unknown } | undefined)?.lines;
      previousEnd = typeof end === "number" ? end : previousEnd + 1;
    },
    on_record: (fields: string[], context) => {
      const line = startAfter(previousEnd);
      previousEnd = context.lines;
      result.total++;
      const record = Object.fromEntries(header.map((name, i) => [name, fields[i] ?? ""]));
      try {
        const entry = mapRow(record, columns, format, source);
        // The database key is (source, CWE, title): a second row with the same key would silently overwrite the first.
        const key = `${entry.cweId}\u0000${entry.title}`;
        const first = firstLineOfKey.get(key);
        if (first !== undefined) throw new RowError(`duplicate of line ${first} (same CWE ${entry.cweId} and title)`);
        firstLineOfKey.set(key, line);
        result.rows.push({ line, entry });
      } catch (error) {
        if (!(error instanceof RowError)) throw error;
        result.invalid.push({ line, reason: error.message });
      }
      return null;
    },
  });
  return result;
}
