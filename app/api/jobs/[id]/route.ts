// GET /api/jobs/:id - one job's state and progress (researcher+)
import { z } from "zod";
import { HttpError, route } from "@/lib/api/route";
import { getJob } from "@/lib/jobs/enqueue";

export const GET = route({ access: "jobs:manage" }, async ({ db, params }) => {
  const job = await getJob(db, z.uuid({ message: "job id must be a UUID" }).parse(params.id));
  if (!job) throw new HttpError(404, `No job with id ${params.id}`);
  return { job };
});
