// Turns the review domain's errors into HTTP answers: a conflict keeps the other person's revision in `details`
// so the page can show it next to the user's unsaved text.
import { z } from "zod";
import { HttpError } from "@/lib/api/route";
import { PairConflictError } from "@/lib/pairs/review-errors";

export function pairIdFrom(params: Record<string, string>): string {
  const parsed = z.uuid().safeParse(params.id);
  if (!parsed.success) throw new HttpError(400, `invalid pair id "${params.id}": expected a UUID`);
  return parsed.data;
}

export async function withConflicts<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PairConflictError) throw new HttpError(409, error.message, { current: error.current });
    throw error;
  }
}
