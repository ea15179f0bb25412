// POST /api/jobs/:id/cancel - cancel a queued or running job (researcher+)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { recordAudit } from "@/lib/audit/record-audit";
import { cancelJob } from "@/lib/jobs/enqueue";

export const POST = route({ access: "jobs:manage" }, async ({ db, params, user }) => {
  const id = z.uuid({ message: "job id must be a UUID" }).parse(params.id);
  await cancelJob(db, id);
  await recordAudit(db, { actorId: user.id, action: "job.cancel", entityType: "job", entityId: id });
  return { cancelled: id };
});
