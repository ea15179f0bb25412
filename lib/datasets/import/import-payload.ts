// The "import.pairs" job's payload, apart from the job code so the job registry can import it without a cycle.
import { z } from "zod";
import { ZImportFormat } from "./formats";

export const ZImportPairsPayload = z
  .object({
    datasetName: z.string().trim().min(1, { message: "dataset name is required" }).max(200),
    format: ZImportFormat.optional(),
    filePath: z.string().min(1),
    /** The name the user uploaded, for format detection and the audit trail. */
    fileName: z.string().min(1).max(500).optional(),
    createdById: z.uuid().nullable().optional(),
    analyze: z.boolean().default(true),
    removeFileAfter: z.boolean().default(true),
  })
  .strict();
export type TImportPairsPayload = z.infer<typeof ZImportPairsPayload>;
