// POST /api/knowledge/import - upload a knowledge-base CSV (multipart: file, format?, source?) and import it at once
// (researcher+). Knowledge-base files are small (MITRE's full export is under 10 MiB), so no job is needed; the import
// runs in one transaction and answers with its report (created / updated / unchanged / invalid rows by line).
import { z } from "zod";
import { route } from "@/lib/api/route";
import { importKnowledgeBase } from "@/lib/knowledge/import-kb";
import { ZKbFormat, ZKbSource } from "@/lib/knowledge/parse-kb";
import { readUpload } from "@/lib/api/read-upload";

const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

const ZImportForm = z.object({
  format: z.union([z.literal("").transform(() => undefined), ZKbFormat]).optional(),
  source: z.union([z.literal("").transform(() => undefined), ZKbSource]).optional(),
});

export const POST = route({ access: "kb:edit" }, async ({ request, db, user }) => {
  const { file, form } = await readUpload(request, { maxBytes: MAX_UPLOAD_BYTES, cliHint: "disco kb import" });
  const fields = ZImportForm.parse({ format: form.get("format") ?? undefined, source: form.get("source") ?? undefined });
  const content = await file.text();
  // KbFileError carries status 400, so route() answers 400 with its message.
  return importKnowledgeBase(db, { content, format: fields.format, source: fields.source, fileName: file.name.slice(0, 500), userId: user.id });
});
