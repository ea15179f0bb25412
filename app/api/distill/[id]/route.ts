// GET /api/distill/:id - a distillation job's live progress (researcher+)
import { z } from "zod";
import { HttpError, route } from "@/lib/api/route";
import { getDistillProgress } from "@/lib/distill/engine/progress";

export const GET = route({ access: "distill:launch" }, async ({ db, params }) => {
  const progress = await getDistillProgress(db, z.uuid({ message: "job id must be a UUID" }).parse(params.id));
  if (!progress) throw new HttpError(404, `No distillation job ${params.id}`);
  return { job: progress };
});
