// GET /api/runs/:id/checkpoints - a run's checkpoints, each with whether its adapter files are complete PEFT files (annotator+)
import { route } from "@/lib/api/route";
import { asHttp, runIdParam } from "@/lib/training/http";
import { inspectAdapter } from "@/lib/training/adapter-files";
import { getRun, getRunCheckpoints } from "@/lib/training/queries";

export const GET = route({ access: "runs:read" }, async ({ db, params }) => {
  const runId = runIdParam(params);
  await asHttp(() => getRun(db, runId));
  const checkpoints = await getRunCheckpoints(db, runId);
  // Paths stay on the server: the browser learns the step, size and what the adapter holds, not where it lives.
  return { checkpoints: checkpoints.map(({ path, ...checkpoint }) => ({ ...checkpoint, adapter: inspectAdapter(path) })) };
});
