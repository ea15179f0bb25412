"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { apiJson } from "@/components/ui/api-client";

const ROLES = ["ANNOTATOR", "RESEARCHER", "LEAD", "ADMIN"] as const;
type User = { id: string; email: string; name: string; role: (typeof ROLES)[number]; disabledAt: string | null; createdAt: string };

export function UsersAdmin({ currentUserId }: { currentUserId: string }) {
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: ["users"], queryFn: () => apiJson<{ users: User[] }>("/api/users") });
  const [formError, setFormError] = useState<string | null>(null);

  const createUser = useMutation({
    mutationFn: (body: { email: string; name?: string; role: string; password: string }) => apiJson("/api/users", { method: "POST", body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["users"] }),
  });
  const updateUser = useMutation({
    mutationFn: ({ id, ...body }: { id: string; role?: string; disabled?: boolean }) => apiJson(`/api/users/${id}`, { method: "PATCH", body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["users"] }),
  });

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setFormError(null);
    try {
      await createUser.mutateAsync({
        email: String(form.get("email")),
        name: String(form.get("name") || "") || undefined,
        role: String(form.get("role")),
        password: String(form.get("password")),
      });
      formElement.reset();
    } catch (error) {
      setFormError((error as Error).message);
    }
  }

  return (
    <>
      <h2>New account</h2>
      <form className="inline panel" onSubmit={onCreate} aria-label="Create account">
        <label>
          Email
          <input name="email" type="email" required />
        </label>
        <label>
          Name
          <input name="name" />
        </label>
        <label>
          Role
          <select name="role" defaultValue="ANNOTATOR">
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {role.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label>
          Password
          <input name="password" type="password" minLength={8} required />
        </label>
        <button type="submit" disabled={createUser.isPending}>
          Create
        </button>
        {formError && (
          <p className="error" role="alert">
            {formError}
          </p>
        )}
      </form>

      <h2>Accounts</h2>
      {users.isLoading && <p className="muted">Loading…</p>}
      {users.error && <p className="error">{(users.error as Error).message}</p>}
      {updateUser.error && <p className="error">{(updateUser.error as Error).message}</p>}
      {users.data && (
        <table className="data" data-testid="users-table">
          <thead>
            <tr>
              <th>Email</th>
              <th>Name</th>
              <th>Role</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.data.users.map((user) => (
              <tr key={user.id}>
                <td>{user.email}</td>
                <td>{user.name}</td>
                <td>
                  <select
                    aria-label={`Role of ${user.email}`}
                    value={user.role}
                    disabled={user.id === currentUserId || updateUser.isPending}
                    onChange={(event) => updateUser.mutate({ id: user.id, role: event.target.value })}
                  >
                    {ROLES.map((role) => (
                      <option key={role} value={role}>
                        {role.toLowerCase()}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{user.disabledAt ? <span className="badge badge-bad">disabled</span> : <span className="badge badge-ok">active</span>}</td>
                <td>
                  {user.id !== currentUserId && (
                    <button className="secondary" type="button" onClick={() => updateUser.mutate({ id: user.id, disabled: !user.disabledAt })}>
                      {user.disabledAt ? "Enable" : "Disable"}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
