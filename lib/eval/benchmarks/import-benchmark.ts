// Stores a parsed benchmark. Re-importing the same file is a no-op (same name, same source hash: items are upserted
// by their external id and nothing changes). A different file under an existing name replaces the items only while no
// evaluation uses the benchmark: scores must stay traceable to the exact prompts they were generated from.
import path from "node:path";
import type { Db } from "../../db/client";
import { ZImportBenchmarkInput, type TBenchmarkFormat, type TImportBenchmarkInput } from "../job-payloads";
import { BenchmarkFileError, DEFAULT_BENCHMARK_NAMES, parseBenchmarkSource } from "./parse-benchmark";

export { ZImportBenchmarkInput } from "../job-payloads";
export type { TImportBenchmarkInput } from "../job-payloads";

export type TImportBenchmarkReport = {
  benchmarkId: string;
  name: string;
  format: TBenchmarkFormat;
  kind: "SECURITY" | "UTILITY";
  sourceHash: string;
  items: number;
  /** created: new benchmark; unchanged: same file imported again; replaced: items swapped for a new file. */
  outcome: "created" | "unchanged" | "replaced";
  promptKinds: Record<string, number>;
};

const CHUNK = 500;

export async function importBenchmark(db: Db, input: TImportBenchmarkInput): Promise<TImportBenchmarkReport> {
  const { filePath, format, name: givenName } = ZImportBenchmarkInput.parse(input);
  const name = givenName ?? DEFAULT_BENCHMARK_NAMES[format];
  const existing = await db.benchmark.findUnique({ where: { name }, include: { _count: { select: { evaluations: true, items: true } } } });
  if (existing && existing.format !== format) {
    throw new BenchmarkFileError(`a benchmark named "${name}" already exists with format ${existing.format}; choose another --name`);
  }
  const parsed = parseBenchmarkSource(filePath, format);
  const promptKinds: Record<string, number> = {};
  for (const item of parsed.items) promptKinds[item.promptKind] = (promptKinds[item.promptKind] ?? 0) + 1;

  let outcome: TImportBenchmarkReport["outcome"] = "created";
  if (existing) {
    if (existing.sourceHash === parsed.sourceHash && existing._count.items === parsed.items.length) {
      outcome = "unchanged";
    } else if (existing._count.evaluations > 0) {
      throw new BenchmarkFileError(
        `"${name}" was imported from a different file (hash ${existing.sourceHash.slice(0, 12)}…, now ${parsed.sourceHash.slice(0, 12)}…) and has ${existing._count.evaluations} evaluations; import the new file under another --name`,
      );
    } else {
      outcome = "replaced";
    }
  }

  const benchmark = await db.$transaction(async (tx) => {
    const row = existing
      ? await tx.benchmark.update({ where: { id: existing.id }, data: { sourceHash: parsed.sourceHash, sourceFile: path.basename(filePath), kind: parsed.kind } })
      : await tx.benchmark.create({ data: { name, kind: parsed.kind, format, sourceFile: path.basename(filePath), sourceHash: parsed.sourceHash } });
    if (outcome === "unchanged") return row;
    if (outcome === "replaced") await tx.benchmarkItem.deleteMany({ where: { benchmarkId: row.id } });
    for (let from = 0; from < parsed.items.length; from += CHUNK) {
      await tx.benchmarkItem.createMany({
        data: parsed.items.slice(from, from + CHUNK).map((item) => ({
          benchmarkId: row.id,
          externalId: item.externalId,
          promptKind: item.promptKind,
          prompt: item.prompt,
          cweId: item.cweId,
          entryPoint: item.entryPoint,
          tests: item.tests,
          metadata: item.metadata as object,
        })),
      });
    }
    return row;
  }, { timeout: 60_000 });

  return {
    benchmarkId: benchmark.id,
    name,
    format,
    kind: parsed.kind,
    sourceHash: parsed.sourceHash,
    items: parsed.items.length,
    outcome,
    promptKinds,
  };
}
