// GET /api/runs/:id/metrics?since=<step>&names=loss,grad_norm - a run's metric series, optionally only newer steps (annotator+)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { asHttp, runIdParam } from "@/lib/training/http";
import { getRun, getRunMetrics } from "@/lib/training/queries";

const ZQuery = z
  .object({
    since: z.coerce.number().int().min(0).optional(),
    names: z.string().optional(),
  })
  .strict();

export const GET = route({ access: "runs:read", query: ZQuery }, async ({ db, params, query }) => {
  const runId = runIdParam(params);
  await asHttp(() => getRun(db, runId));
  const names = query.names?.split(",").map((name) => name.trim()).filter(Boolean);
  return { runId, metrics: await getRunMetrics(db, runId, { sinceStep: query.since, names }) };
});
