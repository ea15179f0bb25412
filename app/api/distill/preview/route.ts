// POST /api/distill/preview - the planned CWE coverage and the estimated cost of a launch, storing nothing (researcher+)
import { route } from "@/lib/api/route";
import { ZLaunchInput } from "@/lib/distill/engine/config";
import { previewDistillation } from "@/lib/distill/engine/launch";

export const POST = route({ access: "distill:launch", body: ZLaunchInput }, async ({ db, body }) => ({ preview: await previewDistillation(db, body) }));
