// The knowledge base: security issues (CWE, title, description, examples) and security-prone packages that distillation
// prompts are made from. Everyone reads; researchers and up edit, import and delete (kb:edit).
import Link from "next/link";
import { KbImportForm } from "@/components/knowledge/KbImportForm";
import { KnowledgeTable, type TEntryView } from "@/components/knowledge/KnowledgeTable";
import { NewEntryForm } from "@/components/knowledge/NewEntryForm";
import { PackagesPanel } from "@/components/knowledge/PackagesPanel";
import { requireUser } from "@/lib/auth/current-user";
import { hasPermission } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { listPackages, searchKnowledgeEntries, ZEntryQuery } from "@/lib/knowledge/entries";
import { KB_SOURCES } from "@/lib/knowledge/sources";

const PAGE_SIZE = 500;

export default async function KnowledgePage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser("kb:read");
  const canEdit = hasPermission(user.role, "kb:edit");
  const params = await searchParams;
  const parsed = ZEntryQuery.safeParse({ q: params.q || undefined, source: params.source || undefined, cwe: params.cwe || undefined, skip: params.skip || 0, take: PAGE_SIZE });
  const query = parsed.success ? parsed.data : ZEntryQuery.parse({ take: PAGE_SIZE });
  const db = getDb();
  let filterError: string | null = parsed.success ? null : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
  let result: Awaited<ReturnType<typeof searchKnowledgeEntries>> = { total: 0, entries: [] };
  try {
    result = await searchKnowledgeEntries(db, query);
  } catch (error) {
    filterError = (error as Error).message;
    result = await searchKnowledgeEntries(db, { take: PAGE_SIZE });
  }
  const packages = await listPackages(db);
  const entries: TEntryView[] = result.entries.map(({ createdAt: _c, updatedAt: _u, ...e }) => e);
  const nextSkip = query.skip + result.entries.length;
  const pageLink = (skip: number) => `/knowledge?${new URLSearchParams({ ...(query.q ? { q: query.q } : {}), ...(query.source ? { source: query.source } : {}), ...(query.cwe ? { cwe: query.cwe } : {}), skip: String(skip) })}`;

  return (
    <>
      <h1>Knowledge base</h1>
      <p className="muted">
        {result.total} security issues{query.q || query.source || query.cwe ? " match the filter" : ""}. Each fills the distillation prompt&apos;s [ISSUE], [DESCRIPTION] and
        [CWE] slots; packages fill [PACKAGE].{canEdit ? "" : " Read-only for your role."}
      </p>

      <form className="filters kb-filters" method="get" action="/knowledge" aria-label="Filter entries">
        <input name="q" defaultValue={query.q ?? ""} placeholder="search title or description" aria-label="Search" />
        <select name="source" defaultValue={query.source ?? ""} aria-label="Source">
          <option value="">all sources</option>
          {KB_SOURCES.map((s) => (
            <option key={s} value={s}>
              {s.toLowerCase()}
            </option>
          ))}
        </select>
        <input name="cwe" defaultValue={query.cwe ?? ""} placeholder="CWE-78" aria-label="CWE" size={10} />
        <button type="submit" className="secondary">
          Filter
        </button>
        {(query.q || query.source || query.cwe) && <Link href="/knowledge">clear</Link>}
      </form>
      {filterError && (
        <p className="error" role="alert">
          {filterError}
        </p>
      )}

      {canEdit && (
        <div className="kb-tools">
          <NewEntryForm />
          <KbImportForm />
        </div>
      )}

      <KnowledgeTable entries={entries} canEdit={canEdit} />
      <p className="muted kb-paging">
        Showing {result.entries.length ? query.skip + 1 : 0}–{nextSkip} of {result.total}.{" "}
        {query.skip > 0 && <Link href={pageLink(Math.max(0, query.skip - PAGE_SIZE))}>previous</Link>}{" "}
        {nextSkip < result.total && <Link href={pageLink(nextSkip)}>next</Link>}
      </p>

      <h2>Packages</h2>
      <PackagesPanel packages={packages.map(({ createdAt: _c, ...p }) => p)} canEdit={canEdit} />
    </>
  );
}
