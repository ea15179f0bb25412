// GET /api/packages - security-prone packages with usage counts (annotator+); POST /api/packages - add one (researcher+)
import { route } from "@/lib/api/route";
import { createPackage, listPackages, ZPackageInput } from "@/lib/knowledge/entries";

export const GET = route({ access: "kb:read" }, async ({ db }) => ({ packages: await listPackages(db) }));

export const POST = route({ access: "kb:edit", body: ZPackageInput }, async ({ db, body, user }) => ({ package: await createPackage(db, body, user.id) }));
