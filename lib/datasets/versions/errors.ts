// Errors of the dataset-version domain carry an HTTP-like status so lib/api/route.ts answers them as 4xx with the message.
export class VersionError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
    this.name = "VersionError";
  }
}
