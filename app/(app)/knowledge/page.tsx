import Link from "next/link";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { listKnowledgeEntries } from "@/lib/knowledge/list-entries";

export default async function KnowledgePage() {
  await requireUser("kb:read");
  const entries = await listKnowledgeEntries(getDb());
  return (
    <>
      <h1>Knowledge base</h1>
      <p className="muted">{entries.length} security issues. Each fills the distillation prompt's [ISSUE] and [DESCRIPTION] slots.</p>
      <table className="data" data-testid="kb-table">
        <thead>
          <tr>
            <th>CWE</th>
            <th>Title</th>
            <th>Description</th>
            <th>Source</th>
            <th>Pairs</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} id={entry.cweId}>
              <td>{entry.cweId}</td>
              <td>{entry.title}</td>
              <td>{entry.description}</td>
              <td>{entry.source.toLowerCase()}</td>
              <td>{entry.pairCount ? <Link href={`/pairs?cwe=${entry.cweId}`}>{entry.pairCount}</Link> : 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
