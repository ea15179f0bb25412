// The `train.run` job's payload: just the run; everything else (config, data, model) is read from the run's row,
// so a retried or resumed job always trains what the run says.
import { z } from "zod";

export const ZTrainRunPayload = z.object({ runId: z.uuid() }).strict();
export type TTrainRunPayload = z.infer<typeof ZTrainRunPayload>;
