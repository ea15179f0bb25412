"use client";
// Security-prone Python packages for the [PACKAGE] slot of "complex" prompts. Researchers+ add, edit and delete;
// the server refuses deleting or renaming a package that prompts already used.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { apiJson } from "@/components/ui/api-client";

type TPackageView = { id: string; name: string; description: string | null; promptCount: number; pairCount: number };

export function PackagesPanel({ packages, canEdit }: { packages: TPackageView[]; canEdit: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function call(work: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await work();
      setEditing(null);
      router.refresh();
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  }

  function onAdd(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    void call(() => apiJson("/api/packages", { method: "POST", body: { name: String(data.get("name")), description: String(data.get("description") || "") || null } })).then(
      (ok) => ok && form.reset(),
    );
  }

  return (
    <>
      <p className="muted">{packages.length} packages.</p>
      {canEdit && (
        <form className="inline panel" onSubmit={onAdd} aria-label="New package">
          <label>
            Package
            <input name="name" required maxLength={100} placeholder="requests" />
          </label>
          <label className="kb-wide">
            Description
            <input name="description" maxLength={2000} />
          </label>
          <button type="submit" disabled={busy}>
            Add package
          </button>
        </form>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <table className="data" data-testid="packages-table">
        <thead>
          <tr>
            <th>Package</th>
            <th>Description</th>
            <th>Prompts</th>
            <th>Pairs</th>
            {canEdit && <th />}
          </tr>
        </thead>
        <tbody>
          {packages.map((pkg) =>
            editing === pkg.id ? (
              <tr key={pkg.id}>
                <td colSpan={canEdit ? 5 : 4}>
                  <form
                    className="inline"
                    aria-label={`Edit package ${pkg.name}`}
                    onSubmit={(event) => {
                      event.preventDefault();
                      const data = new FormData(event.currentTarget);
                      void call(() =>
                        apiJson(`/api/packages/${pkg.id}`, { method: "PATCH", body: { name: String(data.get("name")), description: String(data.get("description") || "") || null } }),
                      );
                    }}
                  >
                    <input name="name" defaultValue={pkg.name} required aria-label="Package name" />
                    <input name="description" defaultValue={pkg.description ?? ""} aria-label="Package description" className="kb-wide" />
                    <button type="submit" disabled={busy}>
                      Save
                    </button>
                    <button type="button" className="secondary" onClick={() => setEditing(null)}>
                      Cancel
                    </button>
                  </form>
                </td>
              </tr>
            ) : (
              <tr key={pkg.id}>
                <td>
                  <code>{pkg.name}</code>
                </td>
                <td>{pkg.description}</td>
                <td>{pkg.promptCount}</td>
                <td>{pkg.pairCount}</td>
                {canEdit && (
                  <td className="kb-actions">
                    <button type="button" className="secondary" onClick={() => setEditing(pkg.id)} aria-label={`Edit package ${pkg.name}`}>
                      Edit
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      disabled={busy}
                      aria-label={`Delete package ${pkg.name}`}
                      onClick={() => window.confirm(`Delete package ${pkg.name}?`) && void call(() => apiJson(`/api/packages/${pkg.id}`, { method: "DELETE" }))}
                    >
                      Delete
                    </button>
                  </td>
                )}
              </tr>
            ),
          )}
        </tbody>
      </table>
    </>
  );
}
