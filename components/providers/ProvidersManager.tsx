"use client";

// Lists LLM providers, adds one, tests its connection, replaces or removes its key, deletes it.
// The key typed here goes to the server once (POST/PATCH) and is never sent back: rows show only a masked hint.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { apiJson } from "@/components/ui/api-client";
import type { TProviderTestResult, TProviderView } from "@/lib/llm/providers";

type TTestState = { running: boolean; result?: TProviderTestResult; error?: string };

export function ProvidersManager({ initial }: { initial: TProviderView[] }) {
  const router = useRouter();
  const [providers, setProviders] = useState(initial);
  const [name, setName] = useState("");
  const [baseUrl, setBaseUrl] = useState("https://api.openai.com/v1");
  const [apiKey, setApiKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [tests, setTests] = useState<Record<string, TTestState>>({});
  const [testModel, setTestModel] = useState<Record<string, string>>({});
  const [newKey, setNewKey] = useState<Record<string, string>>({});
  const [rowError, setRowError] = useState<Record<string, string | null>>({});

  async function reload() {
    const { providers: list } = await apiJson<{ providers: TProviderView[] }>("/api/providers");
    setProviders(list);
    router.refresh();
  }

  async function runTest(id: string) {
    setTests((t) => ({ ...t, [id]: { running: true } }));
    try {
      const model = testModel[id]?.trim();
      const result = await apiJson<TProviderTestResult>(`/api/providers/${id}/test`, { method: "POST", body: model ? { model } : {} });
      setTests((t) => ({ ...t, [id]: { running: false, result } }));
    } catch (caught) {
      setTests((t) => ({ ...t, [id]: { running: false, error: (caught as Error).message } }));
    }
  }

  async function rowAction(id: string, action: () => Promise<unknown>) {
    setRowError((e) => ({ ...e, [id]: null }));
    try {
      await action();
      await reload();
    } catch (caught) {
      setRowError((e) => ({ ...e, [id]: (caught as Error).message }));
    }
  }

  return (
    <>
      <table className="data" data-testid="providers-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Base URL</th>
            <th>API key</th>
            <th>Connection</th>
            <th>Key / remove</th>
          </tr>
        </thead>
        <tbody>
          {providers.map((p) => {
            const test = tests[p.id];
            return (
              <tr key={p.id} data-testid={`provider-${p.name}`}>
                <td>
                  {p.name}
                  <div className="muted">{p.createdBy ? `added by ${p.createdBy}` : ""}</div>
                </td>
                <td>
                  <code>{p.baseUrl}</code>
                </td>
                <td>{p.hasKey ? <span className="badge">{p.keyHint}</span> : <span className="muted">none</span>}</td>
                <td>
                  <div className="inline" style={{ display: "flex", gap: 6, flexWrap: "wrap" }}>
                    <input
                      aria-label={`Model to test on ${p.name}`}
                      placeholder="model (optional)"
                      size={14}
                      value={testModel[p.id] ?? ""}
                      onChange={(e) => setTestModel((m) => ({ ...m, [p.id]: e.target.value }))}
                    />
                    <button type="button" className="secondary" disabled={test?.running} onClick={() => runTest(p.id)}>
                      {test?.running ? "Testing..." : "Test connection"}
                    </button>
                  </div>
                  {test?.result?.ok && (
                    <div className="badge badge-ok" data-testid="provider-test-ok">
                      OK in {test.result.latencyMs} ms{test.result.method === "models" ? `, ${test.result.models.length} models` : " (chat)"}
                    </div>
                  )}
                  {test?.result && !test.result.ok && (
                    <div className="error" data-testid="provider-test-error">
                      {test.result.error}
                    </div>
                  )}
                  {test?.error && <div className="error">{test.error}</div>}
                </td>
                <td>
                  <form
                    className="inline"
                    onSubmit={(e) => {
                      e.preventDefault();
                      const key = newKey[p.id]?.trim();
                      if (!key) return;
                      void rowAction(p.id, async () => {
                        await apiJson(`/api/providers/${p.id}`, { method: "PATCH", body: { apiKey: key } });
                        setNewKey((k) => ({ ...k, [p.id]: "" }));
                      });
                    }}
                  >
                    <input
                      type="password"
                      autoComplete="off"
                      aria-label={`New API key for ${p.name}`}
                      placeholder="new key"
                      size={12}
                      value={newKey[p.id] ?? ""}
                      onChange={(e) => setNewKey((k) => ({ ...k, [p.id]: e.target.value }))}
                    />
                    <button type="submit" className="secondary">
                      Replace key
                    </button>
                    {p.hasKey && (
                      <button type="button" className="secondary" onClick={() => rowAction(p.id, () => apiJson(`/api/providers/${p.id}`, { method: "PATCH", body: { apiKey: null } }))}>
                        Remove key
                      </button>
                    )}
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => {
                        if (window.confirm(`Delete provider "${p.name}"? Jobs that used it keep their history.`)) {
                          void rowAction(p.id, () => apiJson(`/api/providers/${p.id}`, { method: "DELETE" }));
                        }
                      }}
                    >
                      Delete
                    </button>
                  </form>
                  {rowError[p.id] && <div className="error">{rowError[p.id]}</div>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {providers.length === 0 && <p className="muted">No providers yet.</p>}

      <h2>Add a provider</h2>
      <form
        className="stack panel"
        style={{ maxWidth: 520 }}
        onSubmit={async (event) => {
          event.preventDefault();
          setError(null);
          setSaving(true);
          try {
            await apiJson("/api/providers", { method: "POST", body: { name, baseUrl, ...(apiKey.trim() ? { apiKey: apiKey.trim() } : {}) } });
            setName("");
            setApiKey("");
            await reload();
          } catch (caught) {
            setError((caught as Error).message);
          } finally {
            setSaving(false);
          }
        }}
      >
        <label>
          Name
          <input required value={name} onChange={(e) => setName(e.target.value)} placeholder="openai" />
        </label>
        <label>
          Base URL
          <input required value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />
        </label>
        <label>
          API key (optional; stored encrypted)
          <input type="password" autoComplete="off" value={apiKey} onChange={(e) => setApiKey(e.target.value)} />
        </label>
        <div>
          <button type="submit" disabled={saving}>
            {saving ? "Saving..." : "Add provider"}
          </button>
        </div>
        {error && <span className="error">{error}</span>}
      </form>
    </>
  );
}
