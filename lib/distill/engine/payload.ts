// The "distill.run" job's payload (kept apart from the engine so the job registry imports no engine code).
import { z } from "zod";

export const ZDistillRunPayload = z
  .object({
    distillationJobId: z.uuid({ message: "distillationJobId must be a UUID" }),
    watchdog: z.boolean().optional(),
    /** The watchdog chain this link belongs to (see lease.ts). */
    chain: z.string().max(100).optional(),
  })
  .strict();
export type TDistillRunPayload = z.infer<typeof ZDistillRunPayload>;
