// The export formats of a dataset version. Each row carries its split, so one file holds train, val and test.
// - trl: TRL's standard preference JSONL (prompt / chosen = secure / rejected = insecure) plus our metadata columns.
// - csv: the released DiSCo CSV layout (unnamed index, Instruction, Secure Code, Vulnerable Code, Reasoning) plus split.
// - parquet: the TRL columns in one Parquet file (hyparquet-writer), for datasets libraries that read Parquet.
import { parquetWriteBuffer } from "hyparquet-writer";
import { z } from "zod";
import type { TVersionRow } from "./version-rows";

export const EXPORT_FORMATS = ["trl", "csv", "parquet"] as const;
export const ZExportFormat = z.enum(EXPORT_FORMATS);
export type TExportFormat = z.infer<typeof ZExportFormat>;

export const EXPORT_FILE: Record<TExportFormat, { extension: string; contentType: string }> = {
  trl: { extension: "jsonl", contentType: "application/x-ndjson; charset=utf-8" },
  csv: { extension: "csv", contentType: "text/csv; charset=utf-8" },
  parquet: { extension: "parquet", contentType: "application/vnd.apache.parquet" },
};

/** One TRL record; the key order is the column order of the JSONL and Parquet files. */
export type TTrlRecord = {
  prompt: string;
  chosen: string;
  rejected: string;
  pair_id: string;
  revision: number;
  cwe: string | null;
  package: string | null;
  source: string;
  reasoning: string;
  split: string;
};

export function toTrlRecord(row: TVersionRow): TTrlRecord {
  return {
    prompt: row.instruction,
    chosen: row.secureCode,
    rejected: row.insecureCode,
    pair_id: row.pairId,
    revision: row.revision,
    cwe: row.cweId,
    package: row.packageName,
    source: row.source,
    reasoning: row.reasoning,
    split: row.split,
  };
}

export const CSV_HEADER = ["", "Instruction", "Secure Code", "Vulnerable Code", "Reasoning", "split"];

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted and its quotes doubled. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: (string | number)[]): string {
  return values.map(csvField).join(",") + "\n";
}

export function toCsvLine(row: TVersionRow, index: number): string {
  return csvLine([index, row.instruction, row.secureCode, row.insecureCode, row.reasoning, row.split]);
}

/** Parquet needs every row before the footer is written, so this one is built in memory. */
export function toParquet(records: TTrlRecord[]): Uint8Array {
  const column = <K extends keyof TTrlRecord>(name: K) => records.map((record) => record[name]);
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: "prompt", data: column("prompt"), type: "STRING" },
      { name: "chosen", data: column("chosen"), type: "STRING" },
      { name: "rejected", data: column("rejected"), type: "STRING" },
      { name: "pair_id", data: column("pair_id"), type: "STRING" },
      { name: "revision", data: column("revision"), type: "INT32" },
      { name: "cwe", data: column("cwe"), type: "STRING", nullable: true },
      { name: "package", data: column("package"), type: "STRING", nullable: true },
      { name: "source", data: column("source"), type: "STRING" },
      { name: "reasoning", data: column("reasoning"), type: "STRING" },
      { name: "split", data: column("split"), type: "STRING" },
    ],
  });
  return new Uint8Array(buffer);
}
