// GET /api/jobs - recent background jobs and live workers (researcher+)
import { route } from "@/lib/api/route";
import { listRecentJobs } from "@/lib/jobs/enqueue";
import { listLiveWorkers } from "@/lib/jobs/live-workers";

export const GET = route({ access: "jobs:manage" }, async ({ db }) => ({
  jobs: await listRecentJobs(db),
  workers: await listLiveWorkers(db),
}));
