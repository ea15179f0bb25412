// Freezing a dataset version: a selection of pairs (by status, CWE, source, minus excluded CWEs) is pinned at each
// pair's current revision, given a deterministic split, hashed, and written once; the items table refuses later changes.
import { z } from "zod";
import { normalizeCwe } from "../../analyzers/cwe";
import { recordAudit } from "../../audit/record-audit";
import type { Db } from "../../db/client";
import { Prisma } from "../../generated/prisma/client";
import { versionContentHash } from "./content-hash";
import { VersionError } from "./errors";
import { assignSplits, DEFAULT_SPLIT, splitCounts, ZSplitConfig } from "./split";

const PAIR_STATUSES = ["UNREVIEWED", "IN_REVIEW", "ACCEPTED", "REJECTED", "CONFLICT"] as const;

const ZCweList = z.array(z.string().trim().min(1)).transform((values, ctx) => {
  const out: string[] = [];
  for (const value of values) {
    try {
      out.push(normalizeCwe(value));
    } catch {
      ctx.addIssue({ code: "custom", message: `not a CWE id: "${value}"` });
    }
  }
  return [...new Set(out)].sort();
});

export const ZVersionSelection = z
  .object({
    /** Empty or missing: every status. */
    statuses: z.array(z.enum(PAIR_STATUSES)).optional(),
    cwes: ZCweList.optional(),
    sources: z.array(z.string().trim().min(1)).optional(),
  })
  .strict();
export type TVersionSelection = z.infer<typeof ZVersionSelection>;

export const ZFreezeVersionInput = z.object({
  datasetId: z.uuid(),
  name: z.string().trim().min(1, "a version needs a name").max(100),
  description: z.string().max(2000).default(""),
  selection: ZVersionSelection.default({}),
  split: ZSplitConfig.default(DEFAULT_SPLIT),
  /** The paper's out-of-distribution set: CWEs of chosen benchmarks, removed from training data. */
  excludeCwes: ZCweList.default([]),
  createdById: z.uuid().nullable(),
});
export type TFreezeVersionInput = z.input<typeof ZFreezeVersionInput>;

export type TFrozenVersion = {
  id: string;
  datasetId: string;
  version: number;
  name: string;
  contentHash: string;
  pairCount: number;
  splitCounts: { TRAIN: number; VAL: number; TEST: number };
};

export async function freezeVersion(db: Db, rawInput: TFreezeVersionInput): Promise<TFrozenVersion> {
  const parsed = ZFreezeVersionInput.safeParse(rawInput);
  if (!parsed.success) throw new VersionError(`invalid version: ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ")}`);
  const input = parsed.data;
  const dataset = await db.dataset.findUnique({ where: { id: input.datasetId }, select: { id: true, name: true } });
  if (!dataset) throw new VersionError(`no dataset with id ${input.datasetId}`, 404);

  const { statuses, cwes, sources } = input.selection;
  const where: Prisma.PairWhereInput = {
    datasetId: dataset.id,
    ...(statuses?.length ? { status: { in: statuses } } : {}),
    ...(sources?.length ? { source: { in: sources } } : {}),
    AND: [
      ...(cwes?.length ? [{ cweId: { in: cwes } }] : []),
      // Pairs without a CWE are kept: they cannot belong to an excluded weakness.
      ...(input.excludeCwes.length ? [{ OR: [{ cweId: null }, { cweId: { notIn: input.excludeCwes } }] }] : []),
    ],
  };

  return db.$transaction(
    async (tx) => {
      const pairs = await tx.pair.findMany({ where, select: { id: true, revision: true }, orderBy: { id: "asc" } });
      if (pairs.length === 0) {
        throw new VersionError(`the selection matches no pairs in dataset "${dataset.name}" (${describeSelection(input.selection, input.excludeCwes)}); nothing to freeze`);
      }
      // One join instead of an OR per pair: a freeze of 100k pairs stays a single query.
      const revisions = await tx.$queryRaw<{ pairId: string; contentHash: string }[]>`
        SELECT r."pairId", r."contentHash"
        FROM pair_revisions r JOIN pairs p ON p.id = r."pairId" AND p.revision = r.revision
        WHERE p.id = ANY(${pairs.map((pair) => pair.id)}::uuid[])`;
      const revisionHash = new Map(revisions.map((revision) => [revision.pairId, revision.contentHash]));
      const missing = pairs.filter((pair) => !revisionHash.has(pair.id));
      if (missing.length) throw new VersionError(`pair ${missing[0]!.id} has no stored revision ${missing[0]!.revision}; cannot pin its content`, 409);

      const splits = assignSplits(pairs.map((pair) => pair.id), input.split);
      const items = pairs.map((pair) => ({ pairId: pair.id, pairRevision: pair.revision, split: splits.get(pair.id)!, contentHash: revisionHash.get(pair.id)! }));
      const contentHash = versionContentHash(items);
      const last = await tx.datasetVersion.aggregate({ where: { datasetId: dataset.id }, _max: { version: true } });
      const versionNumber = (last._max.version ?? 0) + 1;
      const counts = splitCounts(items.length, input.split);
      const created = await tx.datasetVersion.create({
        data: {
          datasetId: dataset.id,
          version: versionNumber,
          name: input.name,
          description: input.description,
          contentHash,
          splitConfig: input.split,
          excludedCwes: input.excludeCwes,
          selection: input.selection as Prisma.InputJsonValue,
          pairCount: items.length,
          statistics: { splitCounts: counts },
          createdById: input.createdById,
        },
        select: { id: true },
      });
      // Chunks keep each INSERT well under PostgreSQL's 65535 bind parameters (5 per row).
      for (let start = 0; start < items.length; start += 5000) {
        await tx.datasetVersionItem.createMany({ data: items.slice(start, start + 5000).map((item) => ({ versionId: created.id, ...item })) });
      }
      await recordAudit(tx, {
        actorId: input.createdById,
        action: "dataset_version.freeze",
        entityType: "dataset_version",
        entityId: created.id,
        detail: { datasetId: dataset.id, version: versionNumber, name: input.name, contentHash, pairCount: items.length },
      });
      return { id: created.id, datasetId: dataset.id, version: versionNumber, name: input.name, contentHash, pairCount: items.length, splitCounts: counts };
    },
    { timeout: 60_000 },
  ).catch((error: unknown) => {
    // Two freezes of the same dataset at once race for the next version number; the loser is told to retry.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new VersionError("another version of this dataset was frozen at the same moment; try again", 409);
    }
    throw error;
  });
}

function describeSelection(selection: TVersionSelection, excluded: string[]): string {
  const parts = [
    selection.statuses?.length ? `status ${selection.statuses.join("/")}` : "any status",
    selection.cwes?.length ? `CWE ${selection.cwes.join("/")}` : null,
    selection.sources?.length ? `source ${selection.sources.join("/")}` : null,
    excluded.length ? `excluding ${excluded.join(", ")}` : null,
  ];
  return parts.filter(Boolean).join(", ");
}
