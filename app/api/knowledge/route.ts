// GET /api/knowledge - search knowledge-base entries with usage counts (annotator+)
// POST /api/knowledge - create an entry (researcher+)
import { route } from "@/lib/api/route";
import { createKnowledgeEntry, searchKnowledgeEntries, ZEntryQuery, ZKnowledgeEntryInput } from "@/lib/knowledge/entries";

export const GET = route({ access: "kb:read", query: ZEntryQuery }, async ({ db, query }) => searchKnowledgeEntries(db, query));

export const POST = route({ access: "kb:edit", body: ZKnowledgeEntryInput }, async ({ db, body, user }) => ({
  entry: await createKnowledgeEntry(db, body, user.id),
}));
