// GET /api/benchmarks - stored benchmarks with kind, format, item and evaluation counts and source hash (annotator+)
import { route } from "@/lib/api/route";
import { listBenchmarks } from "@/lib/eval/queries";

export const GET = route({ access: "runs:read" }, async ({ db }) => ({ benchmarks: await listBenchmarks(db) }));
