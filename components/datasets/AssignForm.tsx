"use client";

import { useState } from "react";
import { apiJson } from "@/components/ui/api-client";

const STATUSES = ["UNREVIEWED", "IN_REVIEW"] as const;

/** Spread the dataset's open pairs over chosen annotators, `reviewsRequired` of them per pair, round-robin. */
export function AssignForm({ datasetId, annotators, reviewsRequired, onAssigned }: { datasetId: string; annotators: { id: string; name: string; email: string }[]; reviewsRequired: number; onAssigned: () => void }) {
  const [chosen, setChosen] = useState<string[]>([]);
  const [statuses, setStatuses] = useState<string[]>(["UNREVIEWED"]);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const toggle = (list: string[], value: string) => (list.includes(value) ? list.filter((item) => item !== value) : [...list, value]);
  return (
    <>
      <h2>Assign reviews</h2>
      <form
        className="stack panel"
        data-testid="assign-form"
        onSubmit={async (event) => {
          event.preventDefault();
          setError(null);
          setMessage(null);
          try {
            const result = await apiJson<{ created: number; requested: number }>("/api/queue/assign", { method: "POST", body: { datasetId, statuses, userIds: chosen } });
            setMessage(`${result.created} new assignments (${result.requested - result.created} already existed).`);
            onAssigned();
          } catch (caught) {
            setError((caught as Error).message);
          }
        }}
      >
        <fieldset>
          <legend className="muted">Annotators ({reviewsRequired} per pair)</legend>
          {annotators.map((user) => (
            <label key={user.id} style={{ display: "inline-flex", flexDirection: "row", marginRight: 12 }}>
              <input type="checkbox" checked={chosen.includes(user.id)} onChange={() => setChosen(toggle(chosen, user.id))} />
              {user.name}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend className="muted">Pairs with status</legend>
          {STATUSES.map((status) => (
            <label key={status} style={{ display: "inline-flex", flexDirection: "row", marginRight: 12 }}>
              <input type="checkbox" checked={statuses.includes(status)} onChange={() => setStatuses(toggle(statuses, status))} />
              {status.toLowerCase().replace("_", " ")}
            </label>
          ))}
        </fieldset>
        <div>
          <button type="submit" className="secondary" disabled={chosen.length === 0 || statuses.length === 0}>
            Assign
          </button>
        </div>
        {error && <p className="error">{error}</p>}
        {message && <p>{message}</p>}
      </form>
    </>
  );
}
