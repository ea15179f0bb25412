import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../db/client";
import { createFixtures } from "../testing/fixtures";
import { hashPassword, verifyPassword } from "./password";
import { LOGIN_MAX_FAILURES } from "./rate-limit";
import { createSession, hashSessionToken, invalidateSession, SESSION_LIFETIME_MS, validateSessionToken } from "./sessions";
import { signIn } from "./sign-in";

const fixtures = createFixtures();
afterAll(() => fixtures.cleanup());

describe("passwords", () => {
  it("hash with argon2id and verify only the right password", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash.startsWith("$argon2id$")).toBe(true);
    expect(await verifyPassword(hash, "correct horse battery")).toBe(true);
    expect(await verifyPassword(hash, "correct horse batterz")).toBe(false);
    expect(await verifyPassword("not a hash", "x")).toBe(false);
  });

  it("refuse short passwords", async () => {
    await expect(hashPassword("short")).rejects.toThrow(/at least 8 characters/);
  });
});

describe("sessions", () => {
  it("store only the token's hash and resolve the token to its user", async () => {
    const db = getDb();
    const user = await fixtures.user("RESEARCHER");
    const { token } = await createSession(db, user.id);
    expect(await db.session.findUnique({ where: { id: token } })).toBeNull();
    expect(await db.session.findUnique({ where: { id: hashSessionToken(token) } })).not.toBeNull();
    const session = await validateSessionToken(db, token);
    expect(session?.user).toEqual({ id: user.id, email: user.email, name: expect.any(String), role: "RESEARCHER" });
    await invalidateSession(db, token);
    expect(await validateSessionToken(db, token)).toBeNull();
  });

  it("reject expired sessions and sessions of disabled users, and extend sessions past half their life", async () => {
    const db = getDb();
    const user = await fixtures.user("ANNOTATOR");
    const expired = await createSession(db, user.id);
    await db.session.update({ where: { id: hashSessionToken(expired.token) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await validateSessionToken(db, expired.token)).toBeNull();
    expect(await db.session.findUnique({ where: { id: hashSessionToken(expired.token) } })).toBeNull();

    const ageing = await createSession(db, user.id);
    const soon = new Date(Date.now() + SESSION_LIFETIME_MS / 4);
    await db.session.update({ where: { id: hashSessionToken(ageing.token) }, data: { expiresAt: soon } });
    const extended = await validateSessionToken(db, ageing.token);
    expect(extended!.expiresAt.getTime()).toBeGreaterThan(Date.now() + SESSION_LIFETIME_MS * 0.9);

    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await validateSessionToken(db, ageing.token)).toBeNull();
  });

  it("ignore garbage tokens", async () => {
    expect(await validateSessionToken(getDb(), "")).toBeNull();
    expect(await validateSessionToken(getDb(), "x".repeat(500))).toBeNull();
    expect(await validateSessionToken(getDb(), "not-a-token")).toBeNull();
  });
});

describe("sign-in", () => {
  it("accepts the right password (email case-insensitive) and refuses a wrong one", async () => {
    const user = await fixtures.user("LEAD", { password: "lead-password-1" });
    const ok = await signIn(getDb(), { email: user.email.toUpperCase(), password: "lead-password-1" });
    expect(ok.ok && ok.user.id).toBe(user.id);
    expect(await signIn(getDb(), { email: user.email, password: "wrong-password" })).toEqual({ ok: false, reason: "invalid_credentials" });
    expect(await signIn(getDb(), { email: `nobody-${fixtures.tag}@test.local`, password: "whatever1" })).toEqual({
      ok: false,
      reason: "invalid_credentials",
    });
  });

  it(`locks an email after ${LOGIN_MAX_FAILURES} failures, even for the right password`, async () => {
    const db = getDb();
    const user = await fixtures.user("ANNOTATOR", { password: "annotator-pw-1" });
    for (let attempt = 0; attempt < LOGIN_MAX_FAILURES; attempt++) {
      expect((await signIn(db, { email: user.email, password: `wrong-${attempt}` })).ok).toBe(false);
    }
    const locked = await signIn(db, { email: user.email, password: "annotator-pw-1" });
    expect(locked).toMatchObject({ ok: false, reason: "rate_limited" });
    expect(locked.ok === false && locked.reason === "rate_limited" && locked.retryAfterSeconds).toBeGreaterThan(0);
    await db.loginAttempt.deleteMany({ where: { key: `email:${user.email}` } });
  });
});
