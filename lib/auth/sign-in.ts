// Email + password sign-in with rate limiting. Returns a session token for the caller to put in a cookie.
import { z } from "zod";
import type { Db } from "../db/client";
import { hashPassword, verifyPassword } from "./password";
import { clearLoginFailures, loginRateLimitKeys, loginRetryAfterSeconds, recordLoginFailure } from "./rate-limit";
import { createSession, type SessionUser } from "./sessions";
import { ZEmail } from "./users";

export const ZSignInInput = z.object({ email: ZEmail, password: z.string().min(1, "password is required").max(500) });

export type SignInResult =
  | { ok: true; token: string; expiresAt: Date; user: SessionUser }
  | { ok: false; reason: "invalid_credentials" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

// Verifying against a real hash when the email is unknown keeps response times alike, so timing does not reveal
// which accounts exist. Made once per process, with the same parameters as real hashes.
let dummyHash: Promise<string> | null = null;
const getDummyHash = () => (dummyHash ??= hashPassword("no-such-account-timing-guard"));

export async function signIn(
  db: Db,
  input: { email: string; password: string },
  meta: { ip?: string | null; userAgent?: string | null } = {},
): Promise<SignInResult> {
  const { email, password } = ZSignInInput.parse(input);
  const keys = loginRateLimitKeys(email, meta.ip);
  const retryAfterSeconds = await loginRetryAfterSeconds(db, keys);
  if (retryAfterSeconds > 0) return { ok: false, reason: "rate_limited", retryAfterSeconds };

  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, role: true, disabledAt: true, passwordHash: true },
  });
  const valid = await verifyPassword(user?.passwordHash ?? (await getDummyHash()), password);
  if (!user || !valid || user.disabledAt) {
    await recordLoginFailure(db, keys);
    return { ok: false, reason: "invalid_credentials" };
  }
  await clearLoginFailures(db, [`email:${email}`]);
  const { token, expiresAt } = await createSession(db, user.id, { ip: meta.ip ?? undefined, userAgent: meta.userAgent ?? undefined });
  return { ok: true, token, expiresAt, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}
