// GET /api/dataset-versions/compare?a=&b= - pairs added, removed and changed from version a to version b (annotator+)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { compareVersions } from "@/lib/datasets/versions/compare-versions";

const ZQuery = z.object({ a: z.uuid({ message: "a must be a version id (UUID)" }), b: z.uuid({ message: "b must be a version id (UUID)" }) });

export const GET = route({ access: "pairs:read", query: ZQuery }, async ({ db, query }) => ({ comparison: await compareVersions(db, query.a, query.b) }));
