// GET /api/datasets/:id/agreement - inter-annotator agreement (Cohen/Fleiss kappa) and review progress (annotator+)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { getDatasetAgreement } from "@/lib/reviews/dataset-agreement";

export const GET = route({ access: "pairs:read" }, async ({ db, params }) => ({
  agreement: await getDatasetAgreement(db, z.uuid({ message: "dataset id must be a UUID" }).parse(params.id)),
}));
