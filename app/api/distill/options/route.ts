// GET /api/distill/options - what the launch form offers: providers (no keys), datasets, templates, CWEs, packages (researcher+)
import { route } from "@/lib/api/route";
import { launchOptions } from "@/lib/distill/engine/options";

export const GET = route({ access: "distill:launch" }, async ({ db }) => launchOptions(db));
