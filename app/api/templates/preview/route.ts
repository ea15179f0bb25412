// POST /api/templates/preview - fill a template body's slots from a knowledge-base entry and an optional package
// (no package = a "simple" prompt), so a researcher sees the exact prompt before anything is sent (researcher+).
// A body with unknown or unfillable slots answers 400 naming them.
import { z } from "zod";
import { HttpError, route } from "@/lib/api/route";
import { previewSlotValues, renderTemplate, validateTemplateBody, ZTemplateKind } from "@/lib/distill/templates";

const ZPreview = z.object({
  kind: ZTemplateKind,
  body: z.string().max(50_000, "body is at most 50,000 characters"),
  entryId: z.uuid({ message: "entryId must be a UUID" }),
  packageId: z.uuid({ message: "packageId must be a UUID" }).nullable().optional(),
});

export const POST = route({ access: "distill:launch", body: ZPreview, output: z.object({ text: z.string(), simple: z.boolean() }) }, async ({ db, body }) => {
  const entry = await db.knowledgeEntry.findUnique({ where: { id: body.entryId } });
  if (!entry) throw new HttpError(404, `knowledge entry ${body.entryId} not found`);
  const pkg = body.packageId ? await db.package.findUnique({ where: { id: body.packageId } }) : null;
  if (body.packageId && !pkg) throw new HttpError(404, `package ${body.packageId} not found`);
  const problems = validateTemplateBody(body.kind, body.body);
  if (problems.length) throw new HttpError(400, problems.join("; "));
  return { text: renderTemplate(body.body, previewSlotValues(body.kind, entry, pkg?.name ?? null)), simple: !pkg };
});
