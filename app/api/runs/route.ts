// GET /api/runs - runs with filters and sort, each with its final metrics (annotator+)
// POST /api/runs - launch a run: preset + overrides, dataset version, base model or parent run (researcher+)
import { route } from "@/lib/api/route";
import { asHttp } from "@/lib/training/http";
import { launchRun, ZLaunchRunInput } from "@/lib/training/launch";
import { listRuns, ZListRunsQuery } from "@/lib/training/queries";

export const GET = route({ access: "runs:read", query: ZListRunsQuery }, async ({ db, query }) => ({ runs: await listRuns(db, query) }));

export const POST = route({ access: "runs:launch", body: ZLaunchRunInput }, async ({ db, body, user }) => {
  const run = await asHttp(() => launchRun(db, body, { createdById: user.id }));
  return Response.json({ run }, { status: 201 });
});
