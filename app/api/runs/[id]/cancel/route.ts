// POST /api/runs/:id/cancel - stop a run after its current step (or at once if no worker holds it) (researcher+)
import { route } from "@/lib/api/route";
import { asHttp, runIdParam } from "@/lib/training/http";
import { cancelRun } from "@/lib/training/run-control";

export const POST = route({ access: "runs:launch" }, async ({ db, params }) => asHttp(() => cancelRun(db, runIdParam(params))));
