// POST /api/runs/:id/resume - re-queue a failed, cancelled or orphaned run; it continues from its latest checkpoint (researcher+)
import { route } from "@/lib/api/route";
import { asHttp, runIdParam } from "@/lib/training/http";
import { resumeRun } from "@/lib/training/run-control";

export const POST = route({ access: "runs:launch" }, async ({ db, params, user }) => asHttp(() => resumeRun(db, runIdParam(params), user.id)));
