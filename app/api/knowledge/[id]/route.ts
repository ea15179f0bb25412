// GET /api/knowledge/:id (annotator+), PATCH /api/knowledge/:id (researcher+), DELETE /api/knowledge/:id (researcher+;
// refused with 409 while pairs or distillation prompts use the entry)
import { z } from "zod";
import { HttpError, route } from "@/lib/api/route";
import { deleteKnowledgeEntry, getKnowledgeEntry, updateKnowledgeEntry, ZKnowledgeEntryInput } from "@/lib/knowledge/entries";

const entryId = (params: Record<string, string>) => z.uuid({ message: "entry id must be a UUID" }).parse(params.id);

export const GET = route({ access: "kb:read" }, async ({ db, params }) => {
  const entry = await getKnowledgeEntry(db, entryId(params));
  if (!entry) throw new HttpError(404, `knowledge entry ${params.id} not found`);
  return { entry };
});

export const PATCH = route({ access: "kb:edit", body: ZKnowledgeEntryInput }, async ({ db, body, params, user }) => ({
  entry: await updateKnowledgeEntry(db, entryId(params), body, user.id),
}));

export const DELETE = route({ access: "kb:edit" }, async ({ db, params, user }) => {
  await deleteKnowledgeEntry(db, entryId(params), user.id);
  return { ok: true };
});
