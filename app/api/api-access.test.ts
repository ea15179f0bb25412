// Integration tests of the API routes against the real test database: who may do what, and that refused requests
// change nothing.
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { browserRequest, createFixtures, routeParams, type TestUser } from "@/lib/testing/fixtures";
import { POST as login } from "./auth/login/route";
import { POST as logout } from "./auth/logout/route";
import { GET as me } from "./auth/me/route";
import { GET as listJobs } from "./jobs/route";
import { PATCH as patchUser } from "./users/[id]/route";
import { GET as listUsers, POST as createUser } from "./users/route";

const fixtures = createFixtures();
afterAll(() => fixtures.cleanup());

async function userCount() {
  return getDb().user.count();
}

describe("role checks on the server", () => {
  const forbiddenCases: { role: TestUser["role"]; action: string }[] = [
    { role: "ANNOTATOR", action: "create user" },
    { role: "RESEARCHER", action: "create user" },
    { role: "LEAD", action: "create user" },
    { role: "ANNOTATOR", action: "change role" },
    { role: "RESEARCHER", action: "change role" },
    { role: "LEAD", action: "change role" },
    { role: "ANNOTATOR", action: "list jobs" },
  ];

  it.each(forbiddenCases)("$role may not $action: 403 and nothing changes", async ({ role, action }) => {
    const actor = await fixtures.user(role);
    const target = await fixtures.user("ANNOTATOR");
    const before = { users: await userCount(), target: await getDb().user.findUnique({ where: { id: target.id } }) };
    let response: Response;
    if (action === "create user") {
      response = await createUser(
        browserRequest("/api/users", { method: "POST", cookie: actor.cookie, body: { email: `new-${fixtures.tag}@test.local`, role: "ADMIN", password: "password123" } }),
      );
    } else if (action === "change role") {
      response = await patchUser(browserRequest(`/api/users/${target.id}`, { method: "PATCH", cookie: actor.cookie, body: { role: "ADMIN" } }), routeParams({ id: target.id }));
    } else {
      response = await listJobs(browserRequest("/api/jobs", { cookie: actor.cookie }));
    }
    expect(response.status).toBe(403);
    expect((await response.json()).error).toMatch(/^forbidden: your role/);
    expect(await userCount()).toBe(before.users);
    expect(await getDb().user.findUnique({ where: { id: target.id } })).toEqual(before.target);
  });

  it("an admin may create users and change roles, and both are audited", async () => {
    const admin = await fixtures.user("ADMIN");
    const email = `created-${fixtures.tag}@test.local`;
    const created = await createUser(browserRequest("/api/users", { method: "POST", cookie: admin.cookie, body: { email, role: "annotator".toUpperCase(), password: "password123" } }));
    expect(created.status).toBe(200);
    const body = (await created.json()) as { user: { id: string; email: string; role: string; passwordHash?: string } };
    fixtures.track(body.user.id);
    expect(body.user).toMatchObject({ email, role: "ANNOTATOR" });
    expect(body.user.passwordHash).toBeUndefined();

    const changed = await patchUser(
      browserRequest(`/api/users/${body.user.id}`, { method: "PATCH", cookie: admin.cookie, body: { role: "LEAD" } }),
      routeParams({ id: body.user.id }),
    );
    expect(changed.status).toBe(200);
    expect((await getDb().user.findUnique({ where: { id: body.user.id } }))!.role).toBe("LEAD");
    const audit = await getDb().auditLog.findMany({ where: { entityId: body.user.id }, orderBy: { id: "asc" } });
    expect(audit.map((entry) => entry.action)).toEqual(["user.create", "user.update"]);
    expect(audit.every((entry) => entry.actorId === admin.id)).toBe(true);

    const listed = await listUsers(browserRequest("/api/users", { cookie: admin.cookie }));
    const users = ((await listed.json()) as { users: Record<string, unknown>[] }).users;
    expect(users.some((user) => user.email === email)).toBe(true);
    expect(users.every((user) => !("passwordHash" in user))).toBe(true);
  });

  it("signed-out requests get 401", async () => {
    const response = await listUsers(browserRequest("/api/users"));
    expect(response.status).toBe(401);
  });
});

describe("input validation", () => {
  it("names the bad field and stores nothing", async () => {
    const admin = await fixtures.user("ADMIN");
    const before = await userCount();
    const response = await createUser(browserRequest("/api/users", { method: "POST", cookie: admin.cookie, body: { email: "not-an-email", role: "KING", password: "x" } }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; details: { path: string }[] };
    expect(body.details.map((detail) => detail.path).sort()).toEqual(["email", "password", "role"]);
    expect(await userCount()).toBe(before);

    const malformed = await createUser(browserRequest("/api/users", { method: "POST", cookie: admin.cookie, body: "{not json" }));
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error).toBe("invalid body: expected a JSON object");
  });

  it("refuses a duplicate email with 409", async () => {
    const admin = await fixtures.user("ADMIN");
    const response = await createUser(browserRequest("/api/users", { method: "POST", cookie: admin.cookie, body: { email: admin.email, role: "ANNOTATOR", password: "password123" } }));
    expect(response.status).toBe(409);
  });
});

describe("cross-site request protection", () => {
  it("refuses a mutation from another origin, or with no origin at all, even with a valid admin cookie", async () => {
    const admin = await fixtures.user("ADMIN");
    const before = await userCount();
    const body = { email: `csrf-${fixtures.tag}@test.local`, role: "ADMIN", password: "password123" };
    const evil = await createUser(browserRequest("/api/users", { method: "POST", cookie: admin.cookie, body, origin: "https://evil.example" }));
    expect(evil.status).toBe(403);
    expect((await evil.json()).error).toMatch(/cross-site request blocked/);
    const bare = await createUser(browserRequest("/api/users", { method: "POST", cookie: admin.cookie, body, origin: null }));
    expect(bare.status).toBe(403);
    expect(await userCount()).toBe(before);
  });
});

describe("sign-in and sign-out over HTTP", () => {
  it("sets an httpOnly SameSite session cookie that works, then clears it", async () => {
    const user = await fixtures.user("RESEARCHER", { password: "researcher-pw-1" });
    const response = await login(browserRequest("/api/auth/login", { method: "POST", body: { email: user.email, password: "researcher-pw-1" } }));
    expect(response.status).toBe(200);
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^disco_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Secure"); // localhost counts as a secure context
    const sessionCookie = cookie.split(";")[0]!;

    const whoami = await me(browserRequest("/api/auth/me", { cookie: sessionCookie }));
    expect(((await whoami.json()) as { user: { email: string } }).user.email).toBe(user.email);

    const out = await logout(browserRequest("/api/auth/logout", { method: "POST", cookie: sessionCookie }));
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    expect((await me(browserRequest("/api/auth/me", { cookie: sessionCookie }))).status).toBe(401);
  });

  it("answers 401 to a wrong password and 429 with Retry-After once rate-limited", async () => {
    const user = await fixtures.user("ANNOTATOR", { password: "annotator-pw-2" });
    let last: Response | undefined;
    for (let attempt = 0; attempt < 11; attempt++) {
      last = await login(browserRequest("/api/auth/login", { method: "POST", body: { email: user.email, password: "nope-nope" } }));
      if (attempt < 10) expect(last.status).toBe(401);
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    await getDb().loginAttempt.deleteMany({ where: { key: `email:${user.email}` } });
  });
});
