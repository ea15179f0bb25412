// The edit call needs the body of an error reply (a 409 carries the other person's revision), which the shared
// apiJson helper drops; everything else uses apiJson.
export class ReviewApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }
}

export async function postWithDetails<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const payload = (await response.json().catch(() => ({}))) as { error?: string; details?: unknown };
  if (!response.ok) throw new ReviewApiError(response.status, payload.error ?? `request failed (${response.status})`, payload.details);
  return payload as T;
}
