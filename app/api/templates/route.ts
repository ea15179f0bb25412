// GET /api/templates - the latest version of every prompt template (creates the defaults on first use) (researcher+)
// POST /api/templates - save a body as the next version of a template, or version 1 of a new one (researcher+)
import { route } from "@/lib/api/route";
import { ensureDefaultTemplates, listLatestTemplates, saveTemplateVersion, ZSaveTemplate } from "@/lib/distill/templates";

export const GET = route({ access: "distill:launch" }, async ({ db }) => {
  await ensureDefaultTemplates(db);
  return { templates: await listLatestTemplates(db) };
});

const ZSaveBody = ZSaveTemplate.omit({ userId: true });

export const POST = route({ access: "distill:launch", body: ZSaveBody }, async ({ db, body, user }) => {
  const template = await saveTemplateVersion(db, { ...body, userId: user.id });
  await db.auditLog.create({
    data: { actorId: user.id, action: "template.version", entityType: "prompt_template", entityId: template.id, detail: { name: template.name, version: template.version } },
  });
  return { template };
});
