// GET /api/runs/:id - one run: config, status, final metrics, whether its worker died (annotator+)
import { route } from "@/lib/api/route";
import { asHttp, runIdParam } from "@/lib/training/http";
import { getRun } from "@/lib/training/queries";

export const GET = route({ access: "runs:read" }, async ({ db, params }) => ({ run: await asHttp(() => getRun(db, runIdParam(params))) }));
