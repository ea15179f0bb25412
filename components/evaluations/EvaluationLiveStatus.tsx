"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { apiJson } from "@/components/ui/api-client";

/** While an evaluation is queued or running: its generation count, refreshed, and the page reloaded when it ends. */
export function EvaluationLiveStatus({ id, status, canCancel }: { id: string; status: string; canCancel: boolean }) {
  const router = useRouter();
  const [current, setCurrent] = useState({ status, generations: null as number | null });
  const [error, setError] = useState<string | null>(null);
  const active = current.status === "QUEUED" || current.status === "RUNNING";
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      apiJson<{ evaluation: { status: string; generations: number } }>(`/api/evaluations/${id}`)
        .then(({ evaluation }) => {
          setCurrent({ status: evaluation.status, generations: evaluation.generations });
          if (evaluation.status !== status) router.refresh();
        })
        .catch(() => {});
    }, 3000);
    return () => clearInterval(timer);
  }, [active, id, status, router]);
  if (!active) return null;
  return (
    <p className="muted" role="status" data-testid="evaluation-live-status">
      {current.status.toLowerCase()}
      {current.generations !== null ? `: ${current.generations} generations so far` : ""}{" "}
      {canCancel && (
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void apiJson(`/api/evaluations/${id}/cancel`, { method: "POST" })
              .then(() => router.refresh())
              .catch((err: Error) => setError(err.message))
          }
        >
          Cancel
        </button>
      )}
      {error && <span className="error"> {error}</span>}
    </p>
  );
}
