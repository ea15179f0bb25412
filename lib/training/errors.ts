// Errors of the training domain carry an HTTP-like status (lib/api/route.ts answers them as 4xx with the message)
// and, for launch validation, the config field each problem belongs to, so the form can show it next to that field.
export type TFieldIssue = { path: string; message: string };

export class TrainingError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409 = 400,
    readonly details?: TFieldIssue[],
  ) {
    super(message);
    this.name = "TrainingError";
  }
}
