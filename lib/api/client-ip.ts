// The caller's address for rate limiting: the first X-Forwarded-For hop only when the operator says a proxy sets it.
export function clientIp(request: Request): string | null {
  if (process.env.DISCO_TRUST_PROXY === "1") {
    const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return request.headers.get("x-real-ip") ?? null;
}
