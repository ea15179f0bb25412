"use client";
// The entries table. Researchers+ edit a row in place (PATCH) or delete it; a refused delete (entry in use) shows the
// server's reason on that row. Annotators get the same table with no controls.
import { useRouter } from "next/navigation";
import { Fragment, useState } from "react";
import { apiJson } from "@/components/ui/api-client";
import { EntryFields, readEntryForm } from "./EntryFields";

export type TEntryView = {
  id: string;
  cweId: string;
  title: string;
  description: string;
  examples: string | null;
  source: "CWE" | "CODEQL" | "BANDIT" | "CUSTOM";
  pairCount: number;
  promptCount: number;
};

export function KnowledgeTable({ entries, canEdit }: { entries: TEntryView[]; canEdit: boolean }) {
  const router = useRouter();
  const [editing, setEditing] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const seenCwe = new Set<string>();

  async function save(id: string, form: HTMLFormElement) {
    setBusy(true);
    try {
      await apiJson(`/api/knowledge/${id}`, { method: "PATCH", body: readEntryForm(form) });
      setErrors((e) => ({ ...e, [id]: "" }));
      setEditing(null);
      router.refresh();
    } catch (error) {
      setErrors((e) => ({ ...e, [id]: (error as Error).message }));
    } finally {
      setBusy(false);
    }
  }

  async function remove(entry: TEntryView) {
    if (!window.confirm(`Delete "${entry.title}" (${entry.cweId})?`)) return;
    setBusy(true);
    try {
      await apiJson(`/api/knowledge/${entry.id}`, { method: "DELETE" });
      router.refresh();
    } catch (error) {
      setErrors((e) => ({ ...e, [entry.id]: (error as Error).message }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <table className="data kb-table" data-testid="kb-table">
      <thead>
        <tr>
          <th>CWE</th>
          <th>Title</th>
          <th>Description</th>
          <th>Source</th>
          <th>Pairs</th>
          {canEdit && <th />}
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => {
          // The first row of each CWE is the anchor other pages link to (/knowledge#CWE-78).
          const anchor = seenCwe.has(entry.cweId) ? undefined : entry.cweId;
          seenCwe.add(entry.cweId);
          const error = errors[entry.id];
          return (
            <Fragment key={entry.id}>
              <tr id={anchor} data-testid="kb-row" data-entry-id={entry.id}>
                <td>{entry.cweId}</td>
                <td>
                  <button type="button" className="kb-link" onClick={() => setExpanded(expanded === entry.id ? null : entry.id)} aria-expanded={expanded === entry.id}>
                    {entry.title}
                  </button>
                </td>
                <td className="kb-description">{entry.description}</td>
                <td>{entry.source.toLowerCase()}</td>
                <td>{entry.pairCount ? <a href={`/pairs?cwe=${entry.cweId}`}>{entry.pairCount}</a> : 0}</td>
                {canEdit && (
                  <td className="kb-actions">
                    <button type="button" className="secondary" onClick={() => setEditing(editing === entry.id ? null : entry.id)} aria-label={`Edit ${entry.title}`}>
                      Edit
                    </button>
                    <button type="button" className="secondary" disabled={busy} onClick={() => remove(entry)} aria-label={`Delete ${entry.title}`}>
                      Delete
                    </button>
                  </td>
                )}
              </tr>
              {expanded === entry.id && (
                <tr className="kb-detail">
                  <td colSpan={canEdit ? 6 : 5}>
                    <div className="muted">
                      Used by {entry.pairCount} pairs and {entry.promptCount} distillation prompts.
                    </div>
                    {entry.examples ? <pre className="code">{entry.examples}</pre> : <p className="muted">No examples.</p>}
                  </td>
                </tr>
              )}
              {canEdit && editing === entry.id && (
                <tr className="kb-detail">
                  <td colSpan={6}>
                    <form
                      className="stack"
                      aria-label={`Edit entry ${entry.title}`}
                      onSubmit={(event) => {
                        event.preventDefault();
                        void save(entry.id, event.currentTarget);
                      }}
                    >
                      <EntryFields entry={entry} />
                      <div className="kb-actions">
                        <button type="submit" disabled={busy}>
                          Save
                        </button>
                        <button type="button" className="secondary" onClick={() => setEditing(null)}>
                          Cancel
                        </button>
                      </div>
                    </form>
                  </td>
                </tr>
              )}
              {error && (
                <tr className="kb-detail">
                  <td colSpan={canEdit ? 6 : 5}>
                    <p className="error" role="alert">
                      {error}
                    </p>
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
