// Database sessions: the cookie carries 32 random bytes; the table stores only their SHA-256, so a leaked table
// cannot be replayed. Sessions slide: used within the last half of their life, they are extended.
import crypto from "node:crypto";
import type { Db } from "../db/client";
import type { TRole } from "./roles";

export const SESSION_COOKIE = "disco_session";
export const SESSION_LIFETIME_MS = 14 * 24 * 3600 * 1000;

export type SessionUser = { id: string; email: string; name: string; role: TRole };
export type ValidatedSession = { sessionId: string; user: SessionUser; expiresAt: Date };

export function hashSessionToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

export async function createSession(db: Db, userId: string, meta: { userAgent?: string; ip?: string } = {}) {
  const token = crypto.randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
  await db.session.create({
    data: { id: hashSessionToken(token), userId, expiresAt, userAgent: meta.userAgent?.slice(0, 300), ip: meta.ip },
  });
  return { token, expiresAt };
}

export async function validateSessionToken(db: Db, token: string | undefined | null): Promise<ValidatedSession | null> {
  if (!token || token.length > 200) return null;
  const id = hashSessionToken(token);
  const session = await db.session.findUnique({
    where: { id },
    include: { user: { select: { id: true, email: true, name: true, role: true, disabledAt: true } } },
  });
  if (!session) return null;
  if (session.expiresAt.getTime() <= Date.now() || session.user.disabledAt) {
    await db.session.deleteMany({ where: { id } });
    return null;
  }
  let expiresAt = session.expiresAt;
  if (expiresAt.getTime() - Date.now() < SESSION_LIFETIME_MS / 2) {
    expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
    await db.session.update({ where: { id }, data: { expiresAt, lastSeenAt: new Date() } });
  }
  const { disabledAt: _disabled, ...user } = session.user;
  return { sessionId: id, user, expiresAt };
}

export async function invalidateSession(db: Db, token: string): Promise<void> {
  await db.session.deleteMany({ where: { id: hashSessionToken(token) } });
}

export async function invalidateUserSessions(db: Db, userId: string): Promise<void> {
  await db.session.deleteMany({ where: { userId } });
}
