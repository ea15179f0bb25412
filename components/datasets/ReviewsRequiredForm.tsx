"use client";

import { useState } from "react";
import { apiJson } from "@/components/ui/api-client";

export function ReviewsRequiredForm({ datasetId, current, onSaved }: { datasetId: string; current: number; onSaved: () => void }) {
  const [value, setValue] = useState(String(current));
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="inline"
      style={{ marginTop: 12 }}
      onSubmit={async (event) => {
        event.preventDefault();
        setError(null);
        try {
          await apiJson(`/api/datasets/${datasetId}`, { method: "PATCH", body: { reviewsRequired: Number(value) } });
          onSaved();
        } catch (caught) {
          setError((caught as Error).message);
        }
      }}
    >
      <label>
        Independent reviews per pair
        <input type="number" min={1} max={10} value={value} onChange={(event) => setValue(event.target.value)} />
      </label>
      <button type="submit" className="secondary">
        Save
      </button>
      {error && <span className="error">{error}</span>}
    </form>
  );
}
