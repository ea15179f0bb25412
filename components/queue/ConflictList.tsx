"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiJson } from "@/components/ui/api-client";
import type { listConflicts } from "@/lib/reviews/conflicts";

type TConflict = Awaited<ReturnType<typeof listConflicts>>[number];

export function ConflictList({ conflicts }: { conflicts: TConflict[] }) {
  return (
    <>
      <h1>Conflicts</h1>
      <p className="muted">Pairs whose independent reviews disagree. Your decision settles the pair; the original reviews are kept.</p>
      {conflicts.length === 0 && <p className="muted">No open conflicts.</p>}
      {conflicts.map((pair) => (
        <ConflictCard key={pair.id} pair={pair} />
      ))}
    </>
  );
}

function ConflictCard({ pair }: { pair: TConflict }) {
  const router = useRouter();
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const decide = async (decision: "ACCEPT" | "REJECT") => {
    setBusy(true);
    setError(null);
    try {
      await apiJson(`/api/conflicts/${pair.id}/resolve`, { method: "POST", body: { decision, note } });
      router.refresh();
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="panel" style={{ marginBottom: 12 }} data-testid="conflict">
      <p>
        <Link href={`/pairs/${pair.id}`}>{pair.instruction}</Link> <span className="muted">{pair.cweId ?? ""} · {pair.dataset.name} · revision {pair.revision}</span>
      </p>
      <table className="data">
        <tbody>
          {pair.reviews.map((review) => (
            <tr key={review.id}>
              <td>{review.reviewer.name}</td>
              <td>
                <span className={review.decision === "ACCEPT" ? "badge badge-ok" : "badge badge-bad"}>{review.decision.toLowerCase()}</span>
              </td>
              <td>{[review.reasonCode, review.reasonText].filter(Boolean).join(": ")}</td>
              <td className="muted">rev. {review.revision}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="inline" style={{ display: "flex", gap: 8, marginTop: 8, alignItems: "end" }}>
        <label style={{ flex: 1 }}>
          Note
          <input value={note} onChange={(event) => setNote(event.target.value)} placeholder="why this decision" />
        </label>
        <button type="button" disabled={busy} onClick={() => decide("ACCEPT")}>
          Accept
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => decide("REJECT")}>
          Reject
        </button>
      </div>
      {error && <p className="error">{error}</p>}
    </div>
  );
}
