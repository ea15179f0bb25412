// Training errors as the API answers them: the status and, for validation, the per-field details the form shows.
import { z } from "zod";
import { HttpError } from "../api/route";
import { TrainingError } from "./errors";

export async function asHttp<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TrainingError) throw new HttpError(error.status, error.message, error.details);
    throw error;
  }
}

export function runIdParam(params: Record<string, string>): string {
  const parsed = z.uuid().safeParse(params.id);
  if (!parsed.success) throw new HttpError(400, `run id must be a UUID, got "${params.id}"`);
  return parsed.data;
}
