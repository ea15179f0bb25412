// Errors of the review domain that callers must tell apart: a stale revision (someone else saved first) and a missing pair.
// They carry an HTTP-like status so API routes can answer 409/404 without string matching.

/** The other person's saved revision, sent back on a conflict so the user can compare it with their own text. */
export type TConflictingRevision = {
  revision: number;
  editedBy: { id: string; name: string; email: string } | null;
  createdAt: string;
  instruction: string;
  insecureCode: string;
  secureCode: string;
  reasonInsecure: string;
  reasonSecure: string;
  reasoning: string;
};

export class PairConflictError extends Error {
  readonly status = 409;
  constructor(
    message: string,
    readonly current: TConflictingRevision,
  ) {
    super(message);
  }
}

export class PairNotFoundError extends Error {
  readonly status = 404;
  constructor(pairId: string) {
    super(`No pair with id ${pairId}`);
  }
}
