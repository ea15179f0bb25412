// Errors of the review workflow carry an HTTP-like status so lib/api/route.ts answers them as 4xx with the message.
export class ReviewError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409 = 400,
  ) {
    super(message);
    this.name = "ReviewError";
  }
}
