"use client";
// Pick a template, edit its body, save it as the next version (or as a new template), browse older versions, and
// preview the filled prompt for a knowledge-base entry with or without a package.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { apiJson } from "@/components/ui/api-client";
import { SLOTS_BY_KIND, TEMPLATE_KINDS, templateSlots, type TTemplateKind } from "@/lib/distill/templates";

type TTemplateView = { id: string; name: string; kind: TTemplateKind; version: number; body: string; versions: number };
type TVersion = { id: string; version: number; createdAt: string };
type TEntryOption = { id: string; cweId: string; title: string; source: string };

export function TemplatesEditor({ templates, packages }: { templates: TTemplateView[]; packages: { id: string; name: string }[] }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [selectedId, setSelectedId] = useState<string>(templates[0]?.id ?? "");
  const [viewing, setViewing] = useState<{ id: string; version: number; body: string } | null>(null);
  const [body, setBody] = useState<string>(templates[0]?.body ?? "");
  const [newName, setNewName] = useState("");
  const [newKind, setNewKind] = useState<TTemplateKind>("GENERATION");
  const [creating, setCreating] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const selected = templates.find((t) => t.id === selectedId) ?? null;
  const kind: TTemplateKind = creating ? newKind : (selected?.kind ?? "GENERATION");
  const slots = useMemo(() => templateSlots(body), [body]);
  const notForKind = slots.slots.filter((s) => !SLOTS_BY_KIND[kind].includes(s));

  const versions = useQuery({
    queryKey: ["template-versions", selectedId],
    queryFn: () => apiJson<{ versions: TVersion[] }>(`/api/templates/${selectedId}`).then((d) => d.versions),
    enabled: Boolean(selectedId) && !creating,
  });

  function select(id: string) {
    const t = templates.find((x) => x.id === id);
    setCreating(false);
    setSelectedId(id);
    setViewing(null);
    setBody(t?.body ?? "");
    setMessage(null);
  }

  async function showVersion(v: TVersion) {
    const data = await apiJson<{ template: { id: string; version: number; body: string } }>(`/api/templates/${v.id}`);
    setViewing(data.template);
    setBody(data.template.body);
  }

  async function save() {
    setBusy(true);
    setMessage(null);
    try {
      const name = creating ? newName.trim() : selected!.name;
      const { template } = await apiJson<{ template: { id: string; name: string; version: number } }>("/api/templates", { method: "POST", body: { name, kind, body } });
      setMessage({ ok: true, text: `Saved ${template.name} version ${template.version}.` });
      setCreating(false);
      setViewing(null);
      setSelectedId(template.id);
      await queryClient.invalidateQueries({ queryKey: ["template-versions"] });
      router.refresh();
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  }

  const unchanged = !creating && selected !== null && viewing === null && body === selected.body;

  return (
    <div className="tpl-layout">
      <aside className="panel tpl-list" aria-label="Templates">
        <ul>
          {templates.map((t) => (
            <li key={t.id}>
              <button type="button" className={t.id === selectedId && !creating ? "tpl-item tpl-current" : "tpl-item"} onClick={() => select(t.id)}>
                {t.name} <span className="muted">v{t.version}</span>
                <div className="muted">{t.kind.toLowerCase()}</div>
              </button>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setCreating(true);
            setViewing(null);
            setMessage(null);
          }}
        >
          New template
        </button>
      </aside>

      <section className="tpl-main">
        {creating ? (
          <div className="inline tpl-new">
            <label>
              Name
              <input value={newName} onChange={(e) => setNewName(e.target.value)} placeholder="my-generation" aria-label="Template name" />
            </label>
            <label>
              Kind
              <select value={newKind} onChange={(e) => setNewKind(e.target.value as TTemplateKind)} aria-label="Template kind">
                {TEMPLATE_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {k.toLowerCase()}
                  </option>
                ))}
              </select>
            </label>
          </div>
        ) : (
          selected && (
            <h2 data-testid="template-title">
              {selected.name} <span className="muted">{viewing ? `viewing version ${viewing.version} of ${selected.version}` : `version ${selected.version}`} · {selected.kind.toLowerCase()}</span>
            </h2>
          )
        )}
        <label>
          Body
          <textarea className="tpl-body" value={body} onChange={(e) => setBody(e.target.value)} rows={16} aria-label="Template body" spellCheck={false} />
        </label>
        <p className="muted" data-testid="template-slots">
          Uses {slots.slots.length ? slots.slots.map((s) => `[${s}]`).join(" ") : "no slots"}.
          {slots.unknown.length > 0 && <span className="error"> Unknown: {slots.unknown.join(" ")}.</span>}
          {notForKind.length > 0 && <span className="error"> Not available in a {kind.toLowerCase()} template: {notForKind.map((s) => `[${s}]`).join(" ")}.</span>}
        </p>
        <div className="kb-actions">
          <button type="button" onClick={save} disabled={busy || unchanged || (creating && !newName.trim())}>
            {creating ? "Create template" : "Save as new version"}
          </button>
          {message && (
            <span className={message.ok ? "badge badge-ok" : "error"} role={message.ok ? "status" : "alert"}>
              {message.text}
            </span>
          )}
        </div>

        {!creating && versions.data && versions.data.length > 1 && (
          <p className="muted tpl-versions">
            Versions:{" "}
            {versions.data.map((v) => (
              <button key={v.id} type="button" className="kb-link" onClick={() => void showVersion(v)}>
                v{v.version}
              </button>
            ))}
          </p>
        )}

        <TemplatePreview kind={kind} body={body} packages={packages} />
      </section>
    </div>
  );
}

function TemplatePreview({ kind, body, packages }: { kind: TTemplateKind; body: string; packages: { id: string; name: string }[] }) {
  const [search, setSearch] = useState("");
  const [entryId, setEntryId] = useState("");
  const [packageId, setPackageId] = useState("");
  const [result, setResult] = useState<{ text: string; simple: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const entries = useQuery({
    queryKey: ["kb-options", search],
    queryFn: () => apiJson<{ entries: TEntryOption[] }>(`/api/knowledge?take=100${search ? `&q=${encodeURIComponent(search)}` : ""}`).then((d) => d.entries),
  });
  const chosen = entryId || entries.data?.[0]?.id || "";

  async function preview() {
    setError(null);
    setResult(null);
    try {
      setResult(await apiJson("/api/templates/preview", { method: "POST", body: { kind, body, entryId: chosen, packageId: packageId || null } }));
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <section className="panel tpl-preview" aria-label="Preview">
      <h2>Preview</h2>
      <div className="inline">
        <label>
          Find entry
          <input value={search} onChange={(e) => setSearch(e.target.value)} placeholder="search the knowledge base" aria-label="Find entry" />
        </label>
        <label>
          Entry
          <select value={chosen} onChange={(e) => setEntryId(e.target.value)} aria-label="Entry">
            {(entries.data ?? []).map((e) => (
              <option key={e.id} value={e.id}>
                {e.cweId} · {e.title} ({e.source.toLowerCase()})
              </option>
            ))}
          </select>
        </label>
        <label>
          Package
          <select value={packageId} onChange={(e) => setPackageId(e.target.value)} aria-label="Package">
            <option value="">none (simple prompt)</option>
            {packages.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="secondary" onClick={preview} disabled={!chosen}>
          Preview
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <pre className="code tpl-rendered" data-testid="template-preview">
          {result.text}
        </pre>
      )}
    </section>
  );
}
