// POST /api/distill/:id/resume - continue a paused (or failed) job from what is stored, optionally with a new budget (researcher+)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { recordAudit } from "@/lib/audit/record-audit";
import { resumeDistillation } from "@/lib/distill/engine/control";

const ZResume = z.object({ budgetUsd: z.number().positive("budgetUsd must be positive").max(100_000).optional() }).strict();

export const POST = route({ access: "distill:launch", body: ZResume }, async ({ db, params, user, body }) => {
  const id = z.uuid({ message: "job id must be a UUID" }).parse(params.id);
  const result = await resumeDistillation(db, id, { budgetUsd: body.budgetUsd, userId: user.id });
  await recordAudit(db, { actorId: user.id, action: "distill.resume", entityType: "distillation_job", entityId: id, detail: { budgetUsd: body.budgetUsd ?? null } });
  return { status: result.status };
});
