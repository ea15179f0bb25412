// The file formats pairs can be imported from, the `source` each writes on its pairs, and auto-detection from a file's
// name and first line, so a user rarely has to say which format a file is.
import path from "node:path";
import { z } from "zod";

export const IMPORT_FORMATS = ["disco-csv", "disco-jsonl", "safecoder", "trl"] as const;
export const ZImportFormat = z.enum(IMPORT_FORMATS);
export type TImportFormat = z.infer<typeof ZImportFormat>;

/** Pair.source for rows imported in each format (the list page filters by it). */
export const SOURCE_BY_FORMAT: Record<TImportFormat, string> = {
  "disco-csv": "disco-csv",
  "disco-jsonl": "disco-jsonl",
  safecoder: "safecoder",
  trl: "trl",
};

export class ImportFormatError extends Error {}

function firstLine(content: string): string {
  const start = content.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (const line of content.slice(start, start + 1_000_000).split(/\r?\n/)) if (line.trim()) return line.trim();
  return "";
}

/**
 * Detects the format from the extension and the first non-empty line (the CSV header or the first JSON object).
 * Throws ImportFormatError naming what was seen when it cannot tell.
 */
export function detectImportFormat(fileName: string, content: string): TImportFormat {
  const extension = path.extname(fileName).toLowerCase();
  const head = firstLine(content);
  if (extension === ".csv") return "disco-csv";
  if (extension === ".jsonl" || extension === ".json" || extension === ".ndjson" || head.startsWith("{")) {
    let keys: string[];
    try {
      keys = Object.keys(JSON.parse(head) as object);
    } catch {
      throw new ImportFormatError(`cannot detect the format of ${fileName}: its first line is not a JSON object; pass the format explicitly`);
    }
    if (keys.includes("func_src_before") || keys.includes("func_src_after")) return "safecoder";
    if (keys.includes("insecureCode") || keys.includes("secureCode")) return "disco-jsonl";
    if (keys.includes("chosen") || keys.includes("rejected")) return "trl";
    throw new ImportFormatError(
      `cannot detect the format of ${fileName}: the first record has keys ${keys.join(", ") || "(none)"}; expected SafeCoder (func_src_before/func_src_after), DiSCo JSONL (insecureCode/secureCode) or TRL (prompt/chosen/rejected)`,
    );
  }
  if (/(^|,)"?(Secure Code|Vulnerable Code)"?(,|$)/.test(head)) return "disco-csv";
  throw new ImportFormatError(`cannot detect the format of ${fileName} (extension "${extension || "none"}"); pass one of: ${IMPORT_FORMATS.join(", ")}`);
}
