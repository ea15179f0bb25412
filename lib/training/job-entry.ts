// The `train.run` handler as lib/jobs/handlers.ts sees it. The real work (run-job.ts) imports the TensorFlow.js
// trainer, which must never enter the Next.js bundle (handlers.ts is reachable from an API route through
// lib/jobs/worker.ts), so it is loaded at run time by a specifier the bundlers are told not to follow.
import type { JobContext } from "../jobs/handlers";
import type { TTrainRunPayload } from "./job-payload";

export async function runTrainJobEntry(payload: TTrainRunPayload, context: JobContext): Promise<unknown> {
  const specifier = "./run-job.ts";
  const module = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ specifier)) as { runTrainJob: (payload: TTrainRunPayload, context: JobContext) => Promise<unknown> };
  return module.runTrainJob(payload, context);
}
