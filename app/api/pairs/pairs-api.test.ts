// Route tests of the pair review API against the real test database: annotators may read, decide, edit and
// comment; signed-out requests get 401; a stale edit answers 409 with the other person's revision and loses nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { createTestDataset } from "@/lib/pairs/test-pairs";
import { browserRequest, createFixtures, routeParams, type TestUser } from "@/lib/testing/fixtures";
import { POST as postComment } from "./[id]/comments/route";
import { POST as postDecision } from "./[id]/decision/route";
import { POST as postEdit } from "./[id]/edit/route";
import { GET as getPair } from "./[id]/route";
import { POST as postBulk } from "./bulk/route";
import { GET as listPairsRoute } from "./route";

const db = getDb();
const fixtures = createFixtures();
let dataset: Awaited<ReturnType<typeof createTestDataset>>;
let annotator: TestUser;
let other: TestUser;
let counter = 0;

const INSECURE = `import pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)\n`;
const SECURE = `import json\n\n\ndef load(blob):\n    return json.loads(blob)\n`;
const newPair = () => dataset.pair({ instruction: `Load a blob ${fixtures.tag} ${counter++}`, insecureCode: INSECURE, secureCode: SECURE, cweId: "CWE-502", packageName: "pickle" });

beforeAll(async () => {
  dataset = await createTestDataset(`pairs-api-${fixtures.tag}`);
  annotator = await fixtures.user("ANNOTATOR");
  other = await fixtures.user("ANNOTATOR");
});
afterAll(async () => {
  await dataset.remove();
  await fixtures.cleanup();
});

describe("signed-out requests", () => {
  it("get 401 on every pair route and change nothing", async () => {
    const pair = await newPair();
    const params = routeParams({ id: pair.id });
    const responses = [
      await getPair(browserRequest(`/api/pairs/${pair.id}`), params),
      await listPairsRoute(browserRequest(`/api/pairs`)),
      await postDecision(browserRequest(`/api/pairs/${pair.id}/decision`, { method: "POST", body: { decision: "ACCEPT", revision: 1 } }), params),
      await postEdit(browserRequest(`/api/pairs/${pair.id}/edit`, { method: "POST", body: { expectedRevision: 1, changes: { secureCode: "x = 1\n" } } }), params),
      await postComment(browserRequest(`/api/pairs/${pair.id}/comments`, { method: "POST", body: { body: "hi" } }), params),
    ];
    expect(responses.map((response) => response.status)).toEqual([401, 401, 401, 401, 401]);
    expect(await db.review.count({ where: { pairId: pair.id } })).toBe(0);
    expect(await db.comment.count({ where: { pairId: pair.id } })).toBe(0);
    expect((await db.pair.findUniqueOrThrow({ where: { id: pair.id } })).revision).toBe(1);
  });
});

describe("an annotator", () => {
  it("reads a pair for review and the list", async () => {
    const pair = await newPair();
    const response = await getPair(browserRequest(`/api/pairs/${pair.id}?tokenizer=cl100k_base`, { cookie: annotator.cookie }), routeParams({ id: pair.id }));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.pair).toMatchObject({ id: pair.id, secureCode: SECURE, revision: 1, cweId: "CWE-502" });
    expect(body.findings).toEqual({ insecure: [], secure: [] });
    const list = await listPairsRoute(browserRequest(`/api/pairs?package=pickle&q=${encodeURIComponent(`blob ${fixtures.tag}`)}`, { cookie: annotator.cookie }));
    expect(list.status).toBe(200);
    expect((await list.json()).rows.map((row: { id: string }) => row.id)).toContain(pair.id);
  });

  it("may not make the server open a file by naming it as the tokenizer", async () => {
    const pair = await newPair();
    const response = await getPair(browserRequest(`/api/pairs/${pair.id}?tokenizer=${encodeURIComponent("/etc/passwd")}`, { cookie: annotator.cookie }), routeParams({ id: pair.id }));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toContain("unknown tokenizer");
  });

  it("gets 400 for a malformed id and 404 for a missing pair", async () => {
    const bad = await getPair(browserRequest(`/api/pairs/nope`, { cookie: annotator.cookie }), routeParams({ id: "nope" }));
    expect(bad.status).toBe(400);
    const missing = "00000000-0000-4000-8000-000000000000";
    const notFound = await getPair(browserRequest(`/api/pairs/${missing}`, { cookie: annotator.cookie }), routeParams({ id: missing }));
    expect(notFound.status).toBe(404);
    expect((await notFound.json()).error).toMatch(/No pair/);
  });

  it("accepts, and rejects with a reason; a rejection without reason is a 400", async () => {
    const pair = await newPair();
    const params = routeParams({ id: pair.id });
    const noReason = await postDecision(browserRequest(`/api/pairs/${pair.id}/decision`, { method: "POST", cookie: annotator.cookie, body: { decision: "REJECT", revision: 1 } }), params);
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).error).toMatch(/reasonCode/);
    const accepted = await postDecision(browserRequest(`/api/pairs/${pair.id}/decision`, { method: "POST", cookie: annotator.cookie, body: { decision: "ACCEPT", revision: 1 } }), params);
    expect(accepted.status).toBe(200);
    expect((await accepted.json()).status).toBe("ACCEPTED");
    const rejected = await postDecision(
      browserRequest(`/api/pairs/${pair.id}/decision`, { method: "POST", cookie: annotator.cookie, body: { decision: "REJECT", reasonCode: "instruction_leaks", reasonText: "mentions pickle", revision: 1 } }),
      params,
    );
    expect((await rejected.json()).status).toBe("REJECTED");
    expect(await db.review.findMany({ where: { pairId: pair.id }, select: { decision: true, reasonCode: true, reasonText: true } })).toEqual([
      { decision: "REJECT", reasonCode: "instruction_leaks", reasonText: "mentions pickle" },
    ]);
  });

  it("edits (analysis included) and a second stale edit gets 409 with the first one's content, losing nothing", async () => {
    const pair = await newPair();
    const params = routeParams({ id: pair.id });
    const first = await postEdit(
      browserRequest(`/api/pairs/${pair.id}/edit`, { method: "POST", cookie: annotator.cookie, body: { expectedRevision: 1, changes: { reasonSecure: "json cannot run code" } } }),
      params,
    );
    expect(first.status).toBe(200);
    const firstBody = await first.json();
    expect(firstBody.saved.revision).toBe(2);
    expect(firstBody.view.pair).toMatchObject({ revision: 2, reasonSecure: "json cannot run code" });

    const stale = await postEdit(
      browserRequest(`/api/pairs/${pair.id}/edit`, { method: "POST", cookie: other.cookie, body: { expectedRevision: 1, changes: { reasonSecure: "other text" } } }),
      params,
    );
    expect(stale.status).toBe(409);
    const conflict = await stale.json();
    expect(conflict.error).toMatch(/Conflict: .* saved revision 2/);
    expect(conflict.details.current).toMatchObject({ revision: 2, reasonSecure: "json cannot run code", editedBy: { id: annotator.id } });
    const stored = await db.pair.findUniqueOrThrow({ where: { id: pair.id } });
    expect(stored).toMatchObject({ revision: 2, reasonSecure: "json cannot run code" });
    expect(await db.pairRevision.count({ where: { pairId: pair.id } })).toBe(2);

    // The loser re-bases on revision 2 and saves: both texts are now in the history.
    const retried = await postEdit(
      browserRequest(`/api/pairs/${pair.id}/edit`, { method: "POST", cookie: other.cookie, body: { expectedRevision: 2, changes: { reasonSecure: "other text" } } }),
      params,
    );
    expect(retried.status).toBe(200);
    const history = await db.pairRevision.findMany({ where: { pairId: pair.id }, orderBy: { revision: "asc" }, select: { reasonSecure: true } });
    expect(history.map((revision) => revision.reasonSecure)).toEqual(["", "json cannot run code", "other text"]);
  });

  it("comments; an empty comment is a 400", async () => {
    const pair = await newPair();
    const params = routeParams({ id: pair.id });
    const empty = await postComment(browserRequest(`/api/pairs/${pair.id}/comments`, { method: "POST", cookie: annotator.cookie, body: { body: "  " } }), params);
    expect(empty.status).toBe(400);
    const ok = await postComment(browserRequest(`/api/pairs/${pair.id}/comments`, { method: "POST", cookie: annotator.cookie, body: { body: "looks fine" } }), params);
    expect(ok.status).toBe(200);
    expect((await ok.json()).comment).toMatchObject({ body: "looks fine", author: { id: annotator.id } });
  });

  it("a cross-site mutation is refused", async () => {
    const pair = await newPair();
    const response = await postDecision(
      browserRequest(`/api/pairs/${pair.id}/decision`, { method: "POST", cookie: annotator.cookie, origin: "https://evil.example", body: { decision: "ACCEPT", revision: 1 } }),
      routeParams({ id: pair.id }),
    );
    expect(response.status).toBe(403);
    expect(await db.review.count({ where: { pairId: pair.id } })).toBe(0);
  });
});

describe("bulk actions", () => {
  it("an annotator may tag the filtered pairs but not queue re-analysis; signed out gets 401", async () => {
    const pair = await newPair();
    const filter = { dataset: dataset.id, q: pair.instruction };
    const signedOut = await postBulk(browserRequest("/api/pairs/bulk", { method: "POST", body: { action: "tag", tag: "x", filter } }));
    expect(signedOut.status).toBe(401);
    const reanalyze = await postBulk(browserRequest("/api/pairs/bulk", { method: "POST", cookie: annotator.cookie, body: { action: "reanalyze", filter } }));
    expect(reanalyze.status).toBe(403);
    const tagged = await postBulk(browserRequest("/api/pairs/bulk", { method: "POST", cookie: annotator.cookie, body: { action: "tag", tag: "bulk-ok", filter } }));
    expect(tagged.status).toBe(200);
    expect((await tagged.json()).changed).toBe(1);
    expect((await db.pair.findUniqueOrThrow({ where: { id: pair.id } })).tags).toEqual(["bulk-ok"]);
  });
});
