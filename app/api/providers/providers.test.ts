// The providers API against the real test database and the fake OpenAI server: keys are stored encrypted and never
// come back in a response or the audit log; "Test connection" reaches the endpoint with the stored key.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { browserRequest, createFixtures, routeParams, type TestUser } from "@/lib/testing/fixtures";
import { startFakeOpenAI, type TFakeOpenAI } from "@/lib/testing/fake-openai-server";
import { decryptSecret } from "@/lib/llm/secrets";
import { providerCredentials } from "@/lib/llm/providers";
import { GET as list, POST as create } from "./route";
import { DELETE as remove, PATCH as patch } from "./[id]/route";
import { POST as testConnection } from "./[id]/test/route";

// This test process has its own secret key, so it never touches the repository's data dir.
process.env.DISCO_SECRET_KEY = crypto.randomBytes(32).toString("hex");

const fixtures = createFixtures();
const KEY = `sk-test-${crypto.randomBytes(12).toString("hex")}`;
let server: TFakeOpenAI;
let researcher: TestUser;
const created: string[] = [];

beforeAll(async () => {
  server = await startFakeOpenAI({ apiKey: KEY });
  researcher = await fixtures.user("RESEARCHER");
});
afterAll(async () => {
  await getDb().auditLog.deleteMany({ where: { entityType: "llm_provider", entityId: { in: created } } });
  await getDb().llmProvider.deleteMany({ where: { id: { in: created } } });
  await fixtures.cleanup();
  await server.close();
});

async function createProvider(body: unknown, user = researcher) {
  const res = await create(browserRequest("/api/providers", { method: "POST", cookie: user.cookie, body }));
  const text = await res.text();
  const json = JSON.parse(text);
  if (res.status === 200) created.push(json.provider.id);
  return { res, text, json };
}

describe("providers API", () => {
  it("stores the key encrypted and never returns or audits it", async () => {
    const { res, text, json } = await createProvider({ name: `fake-${fixtures.tag}`, baseUrl: server.baseUrl + "/", apiKey: KEY });
    expect(res.status).toBe(200);
    expect(text).not.toContain(KEY);
    expect(json.provider).toMatchObject({ name: `fake-${fixtures.tag}`, baseUrl: server.baseUrl, hasKey: true, keyHint: `sk-…${KEY.slice(-4)}` });
    expect(json.provider.apiKeyEncrypted).toBeUndefined();

    const row = await getDb().llmProvider.findUniqueOrThrow({ where: { id: json.provider.id } });
    expect(Buffer.from(row.apiKeyEncrypted!).toString("latin1")).not.toContain(KEY);
    expect(decryptSecret(row.apiKeyEncrypted!)).toBe(KEY);

    const listed = await (await list(browserRequest("/api/providers", { cookie: researcher.cookie }))).text();
    expect(listed).toContain(json.provider.id);
    expect(listed).not.toContain(KEY);

    const audit = await getDb().auditLog.findMany({ where: { entityType: "llm_provider", entityId: json.provider.id } });
    expect(audit.map((a) => a.action)).toEqual(["llm_provider.create"]);
    expect(JSON.stringify(audit.map((a) => a.detail))).not.toContain(KEY);
  });

  it("tests the connection with the stored key, and reports a wrong key without echoing it", async () => {
    const { json } = await createProvider({ name: `fake-ok-${fixtures.tag}`, baseUrl: server.baseUrl, apiKey: KEY });
    const res = await testConnection(browserRequest(`/api/providers/${json.provider.id}/test`, { method: "POST", cookie: researcher.cookie, body: {} }), routeParams({ id: json.provider.id }));
    expect(res.status).toBe(200);
    const ok = await res.json();
    expect(ok).toMatchObject({ ok: true, method: "models", error: null });
    expect(ok.models).toContain("gpt-4o-2024-08-06");
    expect(server.modelRequests).toBeGreaterThan(0);

    const wrongKey = "sk-wrong-" + crypto.randomBytes(8).toString("hex");
    const bad = await createProvider({ name: `fake-bad-${fixtures.tag}`, baseUrl: server.baseUrl, apiKey: wrongKey });
    const res2 = await testConnection(browserRequest(`/api/providers/${bad.json.provider.id}/test`, { method: "POST", cookie: researcher.cookie, body: { model: "gpt-4o" } }), routeParams({ id: bad.json.provider.id }));
    const text2 = await res2.text();
    expect(res2.status).toBe(200);
    expect(JSON.parse(text2)).toMatchObject({ ok: false, method: null });
    expect(JSON.parse(text2).error).toMatch(/401/);
    expect(text2).not.toContain(wrongKey);
  });

  it("updates the key (replace, remove) and audits only that it changed", async () => {
    const { json } = await createProvider({ name: `fake-upd-${fixtures.tag}`, baseUrl: server.baseUrl });
    expect(json.provider).toMatchObject({ hasKey: false, keyHint: null });
    const id = json.provider.id;
    const newKey = `sk-new-${crypto.randomBytes(10).toString("hex")}`;
    const res = await patch(browserRequest(`/api/providers/${id}`, { method: "PATCH", cookie: researcher.cookie, body: { apiKey: newKey } }), routeParams({ id }));
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).not.toContain(newKey);
    expect(JSON.parse(text).provider).toMatchObject({ hasKey: true, keyHint: `sk-…${newKey.slice(-4)}` });
    expect((await providerCredentials(getDb(), id)).apiKey).toBe(newKey);

    const removed = await patch(browserRequest(`/api/providers/${id}`, { method: "PATCH", cookie: researcher.cookie, body: { apiKey: null } }), routeParams({ id }));
    expect((await removed.json()).provider).toMatchObject({ hasKey: false });
    const audit = await getDb().auditLog.findMany({ where: { entityType: "llm_provider", entityId: id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.detail)).toEqual([{ name: `fake-upd-${fixtures.tag}`, baseUrl: server.baseUrl, hasKey: false }, { apiKey: "replaced" }, { apiKey: "removed" }]);
    expect(JSON.stringify(audit.map((a) => a.detail))).not.toContain(newKey);
  });

  it("rejects bad input and duplicate names with clear errors", async () => {
    const bad = await createProvider({ name: "x", baseUrl: "ftp://example.com" });
    expect(bad.res.status).toBe(400);
    expect(bad.json.error).toMatch(/base URL must be an http\(s\) URL/);
    const creds = await createProvider({ name: "x", baseUrl: "https://user:pw@example.com/v1" });
    expect(creds.res.status).toBe(400);
    const extra = await createProvider({ name: "x", baseUrl: "https://example.com/v1", secret: 1 });
    expect(extra.res.status).toBe(400);
    await createProvider({ name: `dup-${fixtures.tag}`, baseUrl: "https://example.com/v1" });
    const dup = await createProvider({ name: `dup-${fixtures.tag}`, baseUrl: "https://example.com/v1" });
    expect(dup.res.status).toBe(409);
    expect(dup.json.error).toContain("already exists");
  });

  it("deletes, and 404s after", async () => {
    const { json } = await createProvider({ name: `fake-del-${fixtures.tag}`, baseUrl: server.baseUrl, apiKey: KEY });
    const id = json.provider.id;
    expect((await remove(browserRequest(`/api/providers/${id}`, { method: "DELETE", cookie: researcher.cookie }), routeParams({ id }))).status).toBe(200);
    expect((await remove(browserRequest(`/api/providers/${id}`, { method: "DELETE", cookie: researcher.cookie }), routeParams({ id }))).status).toBe(404);
  });

  it("annotators may not list or add providers", async () => {
    const annotator = await fixtures.user("ANNOTATOR");
    expect((await list(browserRequest("/api/providers", { cookie: annotator.cookie }))).status).toBe(403);
    const before = await getDb().llmProvider.count();
    const { res } = await createProvider({ name: `ann-${fixtures.tag}`, baseUrl: server.baseUrl }, annotator);
    expect(res.status).toBe(403);
    expect(await getDb().llmProvider.count()).toBe(before);
  });
});
