// Evaluation errors as the API answers them: launch validation as 400/404/409 with per-field details for the form.
import { z } from "zod";
import { HttpError } from "../api/route";
import { EvaluationLaunchError } from "./launch";

export async function evalHttp<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof EvaluationLaunchError) throw new HttpError(error.status, error.message, error.details);
    throw error;
  }
}

export function evaluationIdParam(params: Record<string, string>): string {
  const parsed = z.uuid().safeParse(params.id);
  if (!parsed.success) throw new HttpError(400, `evaluation id must be a UUID, got "${params.id}"`);
  return parsed.data;
}
