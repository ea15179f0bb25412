// Helpers for integration tests: real users and sessions in the test database, requests shaped like a browser's.
// Every helper records what it created so `cleanup()` removes exactly that.
import crypto from "node:crypto";
import { hashPassword } from "../auth/password";
import type { TRole } from "../auth/roles";
import { createSession, SESSION_COOKIE } from "../auth/sessions";
import { getDb } from "../db/client";

export const TEST_ORIGIN = "http://localhost:3000";

export type TestUser = { id: string; email: string; password: string; role: TRole; cookie: string };

export function createFixtures() {
  const userIds: string[] = [];
  const tag = crypto.randomBytes(4).toString("hex");

  return {
    tag,
    async user(role: TRole, options: { password?: string } = {}): Promise<TestUser> {
      const db = getDb();
      const password = options.password ?? `pw-${crypto.randomBytes(6).toString("hex")}`;
      const email = `${role.toLowerCase()}-${tag}-${userIds.length}@test.local`;
      const user = await db.user.create({
        data: { email, name: `${role} ${tag}`, role, passwordHash: await hashPassword(password) },
        select: { id: true },
      });
      userIds.push(user.id);
      const { token } = await createSession(db, user.id);
      return { id: user.id, email, password, role, cookie: `${SESSION_COOKIE}=${token}` };
    },
    /** Remember users created through the API under test so they are removed too. */
    track(userId: string) {
      userIds.push(userId);
    },
    async cleanup() {
      const db = getDb();
      await db.auditLog.deleteMany({ where: { OR: [{ actorId: { in: userIds } }, { entityId: { in: userIds } }] } });
      await db.user.deleteMany({ where: { id: { in: userIds } } });
    },
  };
}

/** A request as our own pages send it: same-origin, JSON body, the session cookie. */
export function browserRequest(path: string, init: { method?: string; cookie?: string; body?: unknown; origin?: string | null } = {}): Request {
  const headers = new Headers({ host: new URL(TEST_ORIGIN).host });
  if (init.cookie) headers.set("cookie", init.cookie);
  if (init.body !== undefined) headers.set("content-type", "application/json");
  const method = init.method ?? "GET";
  if (method !== "GET" && init.origin !== null) headers.set("origin", init.origin ?? TEST_ORIGIN);
  return new Request(`${TEST_ORIGIN}${path}`, {
    method,
    headers,
    body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
  });
}

export function routeParams(params: Record<string, string>) {
  return { params: Promise.resolve(params) };
}
