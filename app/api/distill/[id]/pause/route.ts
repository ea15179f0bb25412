// POST /api/distill/:id/pause - stop taking prompts; requests in flight finish and are stored (researcher+)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { recordAudit } from "@/lib/audit/record-audit";
import { pauseDistillation } from "@/lib/distill/engine/control";

export const POST = route({ access: "distill:launch" }, async ({ db, params, user }) => {
  const id = z.uuid({ message: "job id must be a UUID" }).parse(params.id);
  const result = await pauseDistillation(db, id);
  await recordAudit(db, { actorId: user.id, action: "distill.pause", entityType: "distillation_job", entityId: id });
  return result;
});
