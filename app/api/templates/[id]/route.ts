// GET /api/templates/:id - one template version with the list of all versions of its name (researcher+).
// Versions are immutable: there is no PATCH or DELETE; saving makes the next version (POST /api/templates).
import { z } from "zod";
import { HttpError, route } from "@/lib/api/route";
import { getTemplate, listTemplateVersions } from "@/lib/distill/templates";

export const GET = route({ access: "distill:launch" }, async ({ db, params }) => {
  const id = z.uuid({ message: "template id must be a UUID" }).parse(params.id);
  const template = await getTemplate(db, id);
  if (!template) throw new HttpError(404, `template ${id} not found`);
  const versions = await listTemplateVersions(db, template.name);
  return { template, versions: versions.map(({ id, version, createdAt, createdById }) => ({ id, version, createdAt, createdById })) };
});
