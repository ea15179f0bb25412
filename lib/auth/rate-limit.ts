// Sign-in rate limit kept in PostgreSQL so every web process shares one count: at most LOGIN_MAX_FAILURES failed
// attempts per email and per client address within LOGIN_WINDOW_MS.
import type { Db } from "../db/client";

export const LOGIN_MAX_FAILURES = 10;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;

export function loginRateLimitKeys(email: string, ip: string | null | undefined): string[] {
  return [`email:${email.trim().toLowerCase()}`, ...(ip ? [`ip:${ip}`] : [])];
}

/** Seconds until the caller may try again, or 0 when allowed. */
export async function loginRetryAfterSeconds(db: Db, keys: string[]): Promise<number> {
  const since = new Date(Date.now() - LOGIN_WINDOW_MS);
  let retryAfter = 0;
  for (const key of keys) {
    const attempts = await db.loginAttempt.findMany({
      where: { key, createdAt: { gt: since } },
      orderBy: { createdAt: "desc" },
      take: LOGIN_MAX_FAILURES,
      select: { createdAt: true },
    });
    if (attempts.length >= LOGIN_MAX_FAILURES) {
      const oldest = attempts[attempts.length - 1]!.createdAt.getTime();
      retryAfter = Math.max(retryAfter, Math.ceil((oldest + LOGIN_WINDOW_MS - Date.now()) / 1000));
    }
  }
  return retryAfter;
}

export async function recordLoginFailure(db: Db, keys: string[]): Promise<void> {
  await db.loginAttempt.createMany({ data: keys.map((key) => ({ key })) });
}

export async function clearLoginFailures(db: Db, keys: string[]): Promise<void> {
  await db.loginAttempt.deleteMany({ where: { key: { in: keys } } });
}

export async function purgeOldLoginAttempts(db: Db): Promise<number> {
  const result = await db.loginAttempt.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - LOGIN_WINDOW_MS) } } });
  return result.count;
}
