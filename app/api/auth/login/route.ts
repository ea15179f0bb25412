// POST /api/auth/login - sign in with email and password; sets the session cookie
import { route } from "@/lib/api/route";
import { sessionCookieHeader, shouldUseSecureCookie } from "@/lib/auth/cookies";
import { signIn, ZSignInInput } from "@/lib/auth/sign-in";
import { clientIp } from "@/lib/api/client-ip";

export const POST = route({ access: "public", body: ZSignInInput }, async ({ request, db, body }) => {
  const result = await signIn(db, body, { ip: clientIp(request), userAgent: request.headers.get("user-agent") });
  if (!result.ok && result.reason === "rate_limited") {
    return Response.json(
      { error: `too many failed sign-ins: try again in ${result.retryAfterSeconds} s` },
      { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
    );
  }
  if (!result.ok) return Response.json({ error: "wrong email or password" }, { status: 401 });
  const secure = shouldUseSecureCookie(request.url, request.headers.get("x-forwarded-proto"));
  return Response.json({ user: result.user }, { headers: { "Set-Cookie": sessionCookieHeader(result.token, result.expiresAt, secure) } });
});
