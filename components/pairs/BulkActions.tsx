"use client";
// Bulk actions on the list's current filter (not only the visible page): the server re-reads the same filter.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiJson } from "@/components/ui/api-client";

export function BulkActions({ filter, total, canReanalyze }: { filter: Record<string, string>; total: string; canReanalyze: boolean }) {
  const router = useRouter();
  const [tag, setTag] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function run(body: Record<string, unknown>, confirmText: string) {
    if (!window.confirm(confirmText)) return;
    setBusy(true);
    setError(null);
    try {
      const result = await apiJson<{ message: string }>("/api/pairs/bulk", { method: "POST", body: { ...body, filter } });
      setMessage(result.message);
      router.refresh();
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <details data-testid="bulk-actions" style={{ marginBottom: "1rem" }}>
      <summary>Bulk actions on all {total} filtered pairs</summary>
      <div style={{ display: "flex", gap: "0.5rem", flexWrap: "wrap", alignItems: "center", marginTop: "0.5rem" }}>
        <input aria-label="Tag" placeholder="tag" value={tag} onChange={(event) => setTag(event.target.value)} size={14} />
        <button type="button" className="secondary" disabled={busy || !tag.trim()} onClick={() => void run({ action: "tag", tag }, `Tag all ${total} filtered pairs "${tag}"?`)}>
          Tag
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => void run({ action: "accept-clean" }, "Accept every filtered pair whose analysis found nothing (in your name)?")}>
          Accept all with no findings
        </button>
        {canReanalyze && (
          <button type="button" className="secondary" disabled={busy} onClick={() => void run({ action: "reanalyze" }, `Queue all ${total} filtered pairs for re-analysis?`)}>
            Re-analyze
          </button>
        )}
        <span className="muted">Assigning to annotators: on the dataset page.</span>
      </div>
      {message && <p role="status">{message}</p>}
      {error && <p className="error" role="alert">{error}</p>}
    </details>
  );
}
