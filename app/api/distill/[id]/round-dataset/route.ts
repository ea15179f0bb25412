// POST /api/distill/:id/round-dataset {round, name} - a new dataset holding the job's pairs as they stood after that
// refinement round (researcher+)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { recordAudit } from "@/lib/audit/record-audit";
import { buildRoundDataset } from "@/lib/distill/engine/round-dataset";

const ZBody = z.object({ round: z.number().int().min(0, "round must be 0-3").max(3, "round must be 0-3"), name: z.string().trim().min(1, "a dataset name is required").max(200) }).strict();

export const POST = route({ access: "distill:launch", body: ZBody }, async ({ db, params, user, body }) => {
  const id = z.uuid({ message: "job id must be a UUID" }).parse(params.id);
  const result = await buildRoundDataset(db, { jobId: id, round: body.round, datasetName: body.name, userId: user.id });
  await recordAudit(db, { actorId: user.id, action: "distill.round_dataset", entityType: "distillation_job", entityId: id, detail: { round: body.round, datasetId: result.datasetId, pairs: result.pairs } });
  return result;
});
