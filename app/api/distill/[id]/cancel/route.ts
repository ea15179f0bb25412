// POST /api/distill/:id/cancel - cancel a job for good; what was stored stays (researcher+)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { recordAudit } from "@/lib/audit/record-audit";
import { cancelDistillation } from "@/lib/distill/engine/control";

export const POST = route({ access: "distill:launch" }, async ({ db, params, user }) => {
  const id = z.uuid({ message: "job id must be a UUID" }).parse(params.id);
  const result = await cancelDistillation(db, id);
  await recordAudit(db, { actorId: user.id, action: "distill.cancel", entityType: "distillation_job", entityId: id });
  return result;
});
