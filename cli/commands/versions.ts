// disco versions freeze|list|compare: freeze a dataset selection into an immutable version, list versions, diff two.
import type { Command } from "commander";
import { findDatasetByName } from "../../lib/datasets/datasets";
import { compareVersions } from "../../lib/datasets/versions/compare-versions";
import { freezeVersion } from "../../lib/datasets/versions/freeze-version";
import { listVersions } from "../../lib/datasets/versions/get-version";
import { DEFAULT_SPLIT } from "../../lib/datasets/versions/split";
import { getDb } from "../../lib/db/client";
import { CliError, parseInput, printResult, table } from "../output";
import { withDatabase } from "../with-database";

const STATUSES = ["UNREVIEWED", "IN_REVIEW", "ACCEPTED", "REJECTED", "CONFLICT"] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function csv(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

function parseStatuses(value: string | undefined) {
  return csv(value).map((status) => {
    const upper = status.toUpperCase().replace("-", "_");
    if (!(STATUSES as readonly string[]).includes(upper)) throw new Error(`--status: unknown status "${status}" (expected ${STATUSES.map((s) => s.toLowerCase()).join(", ")})`);
    return upper as (typeof STATUSES)[number];
  });
}

function parseSplit(value: string, seed: string) {
  const parts = value.split(",").map((part) => Number(part.trim()));
  if (parts.length !== 3 || parts.some((part) => !Number.isFinite(part))) throw new Error(`--split must be three fractions train,val,test (e.g. .95,.03,.02), got "${value}"`);
  const seedNumber = Number(seed);
  if (!Number.isInteger(seedNumber) || seedNumber < 0) throw new Error(`--seed must be a non-negative integer, got "${seed}"`);
  return { train: parts[0]!, val: parts[1]!, test: parts[2]!, seed: seedNumber };
}

/** A version is named by its id, or as <dataset>@<number> (e.g. demo@2). */
async function resolveVersionId(ref: string): Promise<string> {
  if (UUID.test(ref)) return ref;
  const match = /^(.+)@(\d+)$/.exec(ref);
  if (!match) throw new CliError(`"${ref}" is neither a version id nor <dataset>@<version number>`);
  const dataset = await findDatasetByName(getDb(), match[1]!);
  const version = await getDb().datasetVersion.findUnique({ where: { datasetId_version: { datasetId: dataset.id, version: Number(match[2]) } }, select: { id: true } });
  if (!version) throw new CliError(`dataset "${dataset.name}" has no version ${match[2]}`);
  return version.id;
}

export function registerVersionsCommands(program: Command): void {
  const versions = program.command("versions").description("frozen dataset versions");

  versions
    .command("freeze")
    .description("freeze a selection of a dataset's pairs into an immutable version with a split")
    .requiredOption("--dataset <name>", "dataset name")
    .requiredOption("--name <version>", "version name")
    .option("--description <text>", "what this version is for", "")
    .option("--status <list>", "only pairs with these review statuses, e.g. accepted (default: all)")
    .option("--cwe <list>", "only these CWEs, comma-separated")
    .option("--source <list>", "only these sources, comma-separated")
    .option("--exclude-cwe <list>", "leave out these CWEs (the out-of-distribution set), comma-separated")
    .option("--split <fractions>", "train,val,test fractions", `${DEFAULT_SPLIT.train},${DEFAULT_SPLIT.val},${DEFAULT_SPLIT.test}`)
    .option("--seed <n>", "split seed", String(DEFAULT_SPLIT.seed))
    .option("--json", "print JSON")
    .action(async (options: { dataset: string; name: string; description: string; status?: string; cwe?: string; source?: string; excludeCwe?: string; split: string; seed: string; json?: boolean }) => {
      const statuses = parseInput(() => parseStatuses(options.status));
      const split = parseInput(() => parseSplit(options.split, options.seed));
      await withDatabase(async () => {
        const dataset = await findDatasetByName(getDb(), options.dataset).catch((error: Error) => {
          throw new CliError(error.message);
        });
        const version = await freezeVersion(getDb(), {
          datasetId: dataset.id,
          name: options.name,
          description: options.description,
          selection: { ...(statuses.length ? { statuses } : {}), ...(csv(options.cwe).length ? { cwes: csv(options.cwe) } : {}), ...(csv(options.source).length ? { sources: csv(options.source) } : {}) },
          split,
          excludeCwes: csv(options.excludeCwe),
          createdById: null,
        }).catch((error: Error & { status?: number }) => {
          // Bad selections are the caller's to fix (exit 2); anything else is a failure (exit 1).
          throw error.status && error.status < 500 ? new CliError(error.message) : error;
        });
        printResult(options, version, () =>
          `froze ${dataset.name} version ${version.version} "${version.name}": ${version.pairCount} pairs (train ${version.splitCounts.TRAIN}, val ${version.splitCounts.VAL}, test ${version.splitCounts.TEST}), content hash ${version.contentHash}`,
        );
      });
    });

  versions
    .command("list")
    .description("a dataset's versions, newest first")
    .requiredOption("--dataset <name>", "dataset name")
    .option("--json", "print JSON")
    .action(async (options: { dataset: string; json?: boolean }) => {
      await withDatabase(async () => {
        const dataset = await findDatasetByName(getDb(), options.dataset).catch((error: Error) => {
          throw new CliError(error.message);
        });
        const rows = await listVersions(getDb(), dataset.id);
        printResult(options, rows, () =>
          table(
            rows.map((row) => ({
              ...row,
              splits: row.splitCounts ? `${row.splitCounts.TRAIN}/${row.splitCounts.VAL}/${row.splitCounts.TEST}` : "",
              hash: row.contentHash.slice(0, 16),
              excluded: row.excludedCwes.join(","),
              created: row.createdAt.toISOString(),
            })),
            ["version", "name", "pairCount", "splits", "excluded", "hash", "id", "created"],
          ),
        );
      });
    });

  versions
    .command("compare <a> <b>")
    .description("pairs added, removed and changed from version a to version b (ids or <dataset>@<number>)")
    .option("--json", "print JSON")
    .action(async (a: string, b: string, options: { json?: boolean }) => {
      await withDatabase(async () => {
        const diff = await compareVersions(getDb(), await resolveVersionId(a), await resolveVersionId(b)).catch((error: Error & { status?: number }) => {
          throw error.status === 404 ? new CliError(error.message) : error;
        });
        printResult(options, diff, () =>
          [
            `${diff.a.name} (#${diff.a.version}) -> ${diff.b.name} (#${diff.b.version})`,
            `added ${diff.added.length}, removed ${diff.removed.length}, changed ${diff.changed.length}, moved split ${diff.resplit}, unchanged ${diff.unchanged}`,
            ...diff.added.map((item) => `+ ${item.pairId}`),
            ...diff.removed.map((item) => `- ${item.pairId}`),
            ...diff.changed.map((item) => `~ ${item.pairId} (revision ${item.from.pairRevision} -> ${item.to.pairRevision})`),
          ].join("\n"),
        );
      });
    });
}
