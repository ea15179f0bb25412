// Exports a dataset version as a stream of bytes in one of the export formats, for the download route and the CLI.
import type { Db } from "../../db/client";
import { EXPORT_FILE, toCsvLine, toParquet, toTrlRecord, CSV_HEADER, csvLine, type TExportFormat, type TTrlRecord } from "./export-formats";
import { getVersionHeader, readVersionRows } from "./version-rows";

export type TVersionExport = { fileName: string; contentType: string; rows: number; chunks: AsyncIterable<Uint8Array> };

function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "dataset";
}

/** Looks the version up first (so a bad id fails before any byte is sent), then yields the file piece by piece. */
export async function exportVersion(db: Db, versionId: string, format: TExportFormat): Promise<TVersionExport> {
  const version = await getVersionHeader(db, versionId);
  const encoder = new TextEncoder();
  async function* chunks(): AsyncGenerator<Uint8Array> {
    if (format === "parquet") {
      const records: TTrlRecord[] = [];
      for await (const row of readVersionRows(db, versionId)) records.push(toTrlRecord(row));
      yield toParquet(records);
      return;
    }
    if (format === "csv") yield encoder.encode(csvLine(CSV_HEADER));
    let index = 0;
    let buffered = "";
    for await (const row of readVersionRows(db, versionId)) {
      buffered += format === "csv" ? toCsvLine(row, index) : JSON.stringify(toTrlRecord(row)) + "\n";
      index++;
      // Write in pieces of about 256 KiB: fewer, larger writes than one per row.
      if (buffered.length > 262_144) {
        yield encoder.encode(buffered);
        buffered = "";
      }
    }
    if (buffered) yield encoder.encode(buffered);
  }
  return {
    fileName: `${safeName(version.dataset.name)}-v${version.version}.${EXPORT_FILE[format].extension}`,
    contentType: EXPORT_FILE[format].contentType,
    rows: version.pairCount,
    chunks: chunks(),
  };
}

/** The export as one ReadableStream, for a streamed HTTP download. */
export function toReadableStream(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
