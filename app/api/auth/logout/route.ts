// POST /api/auth/logout - end this browser's session
import { route } from "@/lib/api/route";
import { clearSessionCookieHeader, readCookie, shouldUseSecureCookie } from "@/lib/auth/cookies";
import { invalidateSession, SESSION_COOKIE } from "@/lib/auth/sessions";

export const POST = route({ access: "public" }, async ({ request, db }) => {
  const token = readCookie(request.headers.get("cookie"), SESSION_COOKIE);
  if (token) await invalidateSession(db, token);
  const secure = shouldUseSecureCookie(request.url, request.headers.get("x-forwarded-proto"));
  return Response.json({ ok: true }, { headers: { "Set-Cookie": clearSessionCookieHeader(secure) } });
});
