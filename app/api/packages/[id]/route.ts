// PATCH /api/packages/:id - rename or describe (researcher+; renaming one that prompts used is refused)
// DELETE /api/packages/:id - remove (researcher+; refused with 409 while distillation prompts use it)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { deletePackage, updatePackage, ZPackageInput } from "@/lib/knowledge/entries";

const packageId = (params: Record<string, string>) => z.uuid({ message: "package id must be a UUID" }).parse(params.id);

export const PATCH = route({ access: "kb:edit", body: ZPackageInput }, async ({ db, body, params, user }) => ({
  package: await updatePackage(db, packageId(params), body, user.id),
}));

export const DELETE = route({ access: "kb:edit" }, async ({ db, params, user }) => {
  await deletePackage(db, packageId(params), user.id);
  return { ok: true };
});
