"use client";
// The fields of a knowledge-base entry, shared by the new-entry and edit forms.
import { KB_SOURCES } from "@/lib/knowledge/sources";

type TEntryDefaults = { cweId: string; title: string; description: string; examples: string | null; source: string };

export function EntryFields({ entry }: { entry?: TEntryDefaults }) {
  return (
    <div className="kb-fields">
      <label>
        CWE
        <input name="cweId" required defaultValue={entry?.cweId ?? ""} placeholder="CWE-78" size={10} />
      </label>
      <label>
        Source
        <select name="source" defaultValue={entry?.source ?? "CUSTOM"}>
          {KB_SOURCES.map((s) => (
            <option key={s} value={s}>
              {s.toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      <label className="kb-wide">
        Title
        <input name="title" required maxLength={300} defaultValue={entry?.title ?? ""} />
      </label>
      <label className="kb-wide">
        Description
        <textarea name="description" required rows={3} defaultValue={entry?.description ?? ""} />
      </label>
      <label className="kb-wide">
        Examples
        <textarea name="examples" rows={4} className="kb-code" defaultValue={entry?.examples ?? ""} />
      </label>
    </div>
  );
}

export function readEntryForm(form: HTMLFormElement) {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? "");
  return { cweId: text("cweId"), title: text("title"), description: text("description"), examples: text("examples") || null, source: text("source") };
}
