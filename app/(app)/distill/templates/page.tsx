// Prompt templates (researcher+): the generation, refinement and reasoning templates with their versions. Editing
// saves a new version; the preview fills the slots from a chosen knowledge-base entry and package.
import Link from "next/link";
import { TemplatesEditor } from "@/components/templates/TemplatesEditor";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { ensureDefaultTemplates, listLatestTemplates } from "@/lib/distill/templates";
import { listPackages } from "@/lib/knowledge/entries";

export const dynamic = "force-dynamic";

export default async function TemplatesPage() {
  await requireUser("distill:launch");
  const db = getDb();
  await ensureDefaultTemplates(db);
  const [templates, packages] = await Promise.all([listLatestTemplates(db), listPackages(db)]);
  return (
    <>
      <p className="muted">
        <Link href="/distill">Distill</Link> / Templates
      </p>
      <h1>Prompt templates</h1>
      <p className="muted">
        Slots: [ISSUE], [DESCRIPTION], [PACKAGE] (left out for &quot;simple&quot; prompts), [CWE]; refinement also [SECURE CODE], [BANDIT FEEDBACK],
        [CODEQL FEEDBACK]; reasoning R also [r-] and [r+]. Saving never changes a version: it adds the next one, and every pair records the versions
        that made it.
      </p>
      <TemplatesEditor
        templates={templates.map((t) => ({ id: t.id, name: t.name, kind: t.kind, version: t.version, body: t.body, versions: t.versions }))}
        packages={packages.map((p) => ({ id: p.id, name: p.name }))}
      />
    </>
  );
}
