// A dataset from any refinement round of a job: every pair as it stood after round k (its latest distillation revision
// of round <= k), copied into a dataset of its own, so e.g. the unrefined data (round 0) and the refined data (round 1)
// can be frozen and trained on side by side (the paper's Table 5). The copies are analyzed by the analyze queue.
import type { Db } from "../../db/client";
import { enqueueJob } from "../../jobs/enqueue";
import { pairContentHash } from "../../pairs/content-hash";

export class RoundDatasetError extends Error {
  readonly status = 400;
}

export async function buildRoundDataset(
  db: Db,
  input: { jobId: string; round: number; datasetName: string; userId?: string | null },
): Promise<{ datasetId: string; pairs: number; analyzeJobId: string | null }> {
  if (!Number.isInteger(input.round) || input.round < 0 || input.round > 3) throw new RoundDatasetError("round must be 0-3");
  const name = input.datasetName.trim();
  if (!name) throw new RoundDatasetError("a dataset name is required");
  const job = await db.distillationJob.findUnique({ where: { id: input.jobId }, select: { id: true } });
  if (!job) throw Object.assign(new RoundDatasetError(`no distillation job ${input.jobId}`), { status: 404 });
  if (await db.dataset.findUnique({ where: { name }, select: { id: true } })) throw Object.assign(new RoundDatasetError(`a dataset named ${name} already exists`), { status: 409 });

  const pairs = await db.pair.findMany({
    where: { distillationJobId: input.jobId },
    select: {
      id: true, cweId: true, cweTitle: true, entryId: true, packageName: true, generationTemplateId: true, refinementTemplateId: true,
      revisions: { where: { note: { startsWith: "distill round " }, revision: { lte: input.round + 1 } }, orderBy: { revision: "desc" }, take: 1 },
    },
  });
  const rows = pairs.filter((pair) => pair.revisions.length > 0);
  if (rows.length === 0) throw new RoundDatasetError("the job has no pairs yet");

  const dataset = await db.dataset.create({ data: { name, description: `Distillation ${input.jobId}, pairs as after refinement round ${input.round}`, createdById: input.userId ?? null } });
  const ids: string[] = [];
  for (let start = 0; start < rows.length; start += 500) {
    const chunk = rows.slice(start, start + 500);
    await db.$transaction(async (tx) => {
      for (const pair of chunk) {
        const revision = pair.revisions[0]!;
        const content = {
          instruction: revision.instruction,
          insecureCode: revision.insecureCode,
          secureCode: revision.secureCode,
          reasonInsecure: revision.reasonInsecure,
          reasonSecure: revision.reasonSecure,
          reasoning: revision.reasoning,
          cweId: revision.cweId,
        };
        const contentHash = pairContentHash(content);
        const round = revision.revision - 1;
        const created = await tx.pair.create({
          data: {
            datasetId: dataset.id,
            ...content,
            cweTitle: pair.cweTitle,
            entryId: pair.entryId,
            packageName: pair.packageName,
            // Not linked through distillationJobId: the job's own counts stay about the pairs it made.
            source: `distill:${input.jobId}:round-${input.round}`,
            tags: ["distilled", `round-${round}`],
            contentHash,
            generationTemplateId: pair.generationTemplateId,
            refinementTemplateId: round > 0 ? pair.refinementTemplateId : null,
            refinementRound: round,
            revisions: { create: { revision: 1, ...content, contentHash, note: `copied from pair ${pair.id} revision ${revision.revision} (distill round ${round})` } },
          },
          select: { id: true },
        });
        ids.push(created.id);
      }
    });
  }
  const analyzeJobId = ids.length ? await enqueueJob(db, "analyze.pairs", { pairIds: ids }, { createdById: input.userId ?? null }) : null;
  return { datasetId: dataset.id, pairs: ids.length, analyzeJobId };
}
