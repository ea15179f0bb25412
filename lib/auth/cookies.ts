// Session cookie format: httpOnly, SameSite=Lax, Secure whenever the browser can honour it (HTTPS or localhost).
import { SESSION_COOKIE } from "./sessions";

export function readCookie(cookieHeader: string | null, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) return decodeURIComponent(part.slice(index + 1).trim());
  }
  return null;
}

/** Browsers drop Secure cookies on plain http except for localhost, so Secure is set exactly when it will be kept. */
export function shouldUseSecureCookie(requestUrl: string, forwardedProto: string | null): boolean {
  if (process.env.DISCO_COOKIE_SECURE === "always") return true;
  if (forwardedProto?.split(",")[0]?.trim() === "https") return true;
  const url = new URL(requestUrl);
  return url.protocol === "https:" || ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

export function sessionCookieHeader(token: string, expiresAt: Date, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${encodeURIComponent(token)}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Expires=${expiresAt.toUTCString()}`,
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

export function clearSessionCookieHeader(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0", ...(secure ? ["Secure"] : [])].join("; ");
}
