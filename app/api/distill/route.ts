// GET /api/distill - distillation jobs, newest first; POST /api/distill - launch one (researcher+)
import { route } from "@/lib/api/route";
import { recordAudit } from "@/lib/audit/record-audit";
import { ZLaunchInput } from "@/lib/distill/engine/config";
import { launchDistillation } from "@/lib/distill/engine/launch";
import { listDistillJobs } from "@/lib/distill/engine/progress";

export const GET = route({ access: "distill:launch" }, async ({ db }) => ({ jobs: await listDistillJobs(db) }));

export const POST = route({ access: "distill:launch", body: ZLaunchInput }, async ({ db, body, user }) => {
  const launched = await launchDistillation(db, body, { userId: user.id });
  await recordAudit(db, {
    actorId: user.id,
    action: "distill.launch",
    entityType: "distillation_job",
    entityId: launched.jobId,
    detail: { model: body.model, n: body.n, rounds: body.rounds, budgetUsd: body.budgetUsd },
  });
  return { jobId: launched.jobId, planned: launched.planned, coverage: launched.coverage };
});
