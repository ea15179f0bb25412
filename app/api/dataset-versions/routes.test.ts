// Route tests for dataset versions, review queues and conflicts: who may do what, refused requests change nothing,
// and bad input is answered with a message naming the problem.
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { createTestDataset } from "@/lib/datasets/versions/testing";
import { browserRequest, createFixtures, routeParams } from "@/lib/testing/fixtures";
import { POST as resolve } from "../conflicts/[pairId]/resolve/route";
import { GET as getDatasetRoute, PATCH as patchDataset } from "../datasets/[id]/route";
import { POST as freeze } from "../datasets/[id]/versions/route";
import { POST as assign } from "../queue/assign/route";
import { GET as queueReviews } from "../queue/[pairId]/reviews/route";
import { GET as compare } from "./compare/route";
import { GET as getVersionRoute } from "./[id]/route";

const fixtures = createFixtures();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  await fixtures.cleanup();
});

async function dataset(...args: Parameters<typeof createTestDataset>) {
  const created = await createTestDataset(...args);
  cleanups.unshift(created.cleanup);
  return created;
}

describe("dataset version routes", () => {
  it("an annotator may not freeze a version: 403 and nothing is written", async () => {
    const annotator = await fixtures.user("ANNOTATOR");
    const data = await dataset([{}, {}]);
    const response = await freeze(browserRequest(`/api/datasets/${data.id}/versions`, { method: "POST", cookie: annotator.cookie, body: { name: "v1" } }), routeParams({ id: data.id }));
    expect(response.status).toBe(403);
    expect(await getDb().datasetVersion.count({ where: { datasetId: data.id } })).toBe(0);
  });

  it("a researcher freezes, reads and compares versions; an empty selection is a 400 naming the problem", async () => {
    const researcher = await fixtures.user("RESEARCHER");
    const data = await dataset(Array.from({ length: 10 }, (_, i) => ({ status: i < 5 ? "ACCEPTED" : "REJECTED", cweId: i % 2 ? "CWE-79" : "CWE-89" }) as const));
    const post = (body: unknown) => freeze(browserRequest(`/api/datasets/${data.id}/versions`, { method: "POST", cookie: researcher.cookie, body }), routeParams({ id: data.id }));

    const first = await post({ name: "all", split: { train: 0.8, val: 0.1, test: 0.1, seed: 42 } });
    expect(first.status).toBe(200);
    const v1 = (await first.json()).version as { id: string; version: number; splitCounts: Record<string, number> };
    expect(v1).toMatchObject({ version: 1, splitCounts: { TRAIN: 8, VAL: 1, TEST: 1 } });

    const second = await post({ name: "accepted, no XSS", selection: { statuses: ["ACCEPTED"] }, excludeCwes: ["CWE-79"] });
    expect(second.status).toBe(200);
    const v2 = (await second.json()).version as { id: string; pairCount: number };
    expect(v2.pairCount).toBe(3);

    const empty = await post({ name: "nothing", selection: { statuses: ["CONFLICT"] } });
    expect(empty.status).toBe(400);
    expect((await empty.json()).error).toMatch(/selection matches no pairs/);
    const badSplit = await post({ name: "bad", split: { train: 1, val: 0.5, test: 0, seed: 1 } });
    expect(badSplit.status).toBe(400);
    expect((await badSplit.json()).error).toMatch(/add up to 1/);
    expect(await getDb().datasetVersion.count({ where: { datasetId: data.id } })).toBe(2);

    const detail = await (await getVersionRoute(browserRequest(`/api/dataset-versions/${v1.id}`, { cookie: researcher.cookie }), routeParams({ id: v1.id }))).json();
    expect(detail.version.splitCounts).toEqual({ TRAIN: 8, VAL: 1, TEST: 1 });
    expect(detail.version.perCwe.map((row: { cweId: string; total: number }) => [row.cweId, row.total])).toEqual([["CWE-79", 5], ["CWE-89", 5]]);

    const diff = await (await compare(browserRequest(`/api/dataset-versions/compare?a=${v1.id}&b=${v2.id}`, { cookie: researcher.cookie }))).json();
    expect(diff.comparison.removed).toHaveLength(7);
    expect(diff.comparison.added).toHaveLength(0);
    const badCompare = await compare(browserRequest(`/api/dataset-versions/compare?a=nope&b=${v2.id}`, { cookie: researcher.cookie }));
    expect(badCompare.status).toBe(400);

    const listed = await (await getDatasetRoute(browserRequest(`/api/datasets/${data.id}`, { cookie: researcher.cookie }), routeParams({ id: data.id }))).json();
    expect(listed.dataset.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(listed.dataset.byStatus).toMatchObject({ ACCEPTED: 5, REJECTED: 5 });
  });

  it("reviewsRequired: annotators get 403, researchers may set 1..10, out of range is 400; changes are audited", async () => {
    const [annotator, researcher] = [await fixtures.user("ANNOTATOR"), await fixtures.user("RESEARCHER")];
    const data = await dataset([{}]);
    const patch = (cookie: string, body: unknown) => patchDataset(browserRequest(`/api/datasets/${data.id}`, { method: "PATCH", cookie, body }), routeParams({ id: data.id }));
    expect((await patch(annotator.cookie, { reviewsRequired: 3 })).status).toBe(403);
    expect((await getDb().dataset.findUniqueOrThrow({ where: { id: data.id } })).reviewsRequired).toBe(1);
    const bad = await patch(researcher.cookie, { reviewsRequired: 0 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/at least 1/);
    expect((await patch(researcher.cookie, { reviewsRequired: 3 })).status).toBe(200);
    expect((await getDb().dataset.findUniqueOrThrow({ where: { id: data.id } })).reviewsRequired).toBe(3);
    expect(await getDb().auditLog.count({ where: { entityId: data.id, action: "dataset.update", actorId: researcher.id } })).toBe(1);
  });
});

describe("queue and conflict routes", () => {
  it("an annotator may not assign pairs: 403 and no assignment", async () => {
    const annotator = await fixtures.user("ANNOTATOR");
    const data = await dataset([{}]);
    const response = await assign(browserRequest("/api/queue/assign", { method: "POST", cookie: annotator.cookie, body: { pairIds: data.pairIds, userIds: [annotator.id] } }));
    expect(response.status).toBe(403);
    expect(await getDb().reviewAssignment.count({ where: { pairId: { in: data.pairIds } } })).toBe(0);
  });

  it("a researcher may not resolve a conflict (403, nothing changes); a lead may", async () => {
    const [a, b, researcher, lead] = [await fixtures.user("ANNOTATOR"), await fixtures.user("ANNOTATOR"), await fixtures.user("RESEARCHER"), await fixtures.user("LEAD")];
    const data = await dataset([{ status: "CONFLICT" }], { reviewsRequired: 2 });
    const pairId = data.pairIds[0]!;
    await getDb().review.createMany({ data: [{ pairId, reviewerId: a.id, decision: "ACCEPT", revision: 1 }, { pairId, reviewerId: b.id, decision: "REJECT", revision: 1 }] });
    const post = (cookie: string, body: unknown) => resolve(browserRequest(`/api/conflicts/${pairId}/resolve`, { method: "POST", cookie, body }), routeParams({ pairId }));

    const refused = await post(researcher.cookie, { decision: "ACCEPT" });
    expect(refused.status).toBe(403);
    expect((await getDb().pair.findUniqueOrThrow({ where: { id: pairId } })).status).toBe("CONFLICT");
    expect(await getDb().review.count({ where: { pairId } })).toBe(2);

    const bad = await post(lead.cookie, { decision: "MAYBE" });
    expect(bad.status).toBe(400);
    const done = await post(lead.cookie, { decision: "ACCEPT", note: "both fine after reading the reasoning" });
    expect(done.status).toBe(200);
    expect((await getDb().pair.findUniqueOrThrow({ where: { id: pairId } })).status).toBe("ACCEPTED");
    const again = await post(lead.cookie, { decision: "REJECT" });
    expect(again.status).toBe(409);
    expect((await getDb().pair.findUniqueOrThrow({ where: { id: pairId } })).status).toBe("ACCEPTED");
  });

  it("a pair's reviews are hidden from an annotator who has not decided it", async () => {
    const [me, other] = [await fixtures.user("ANNOTATOR"), await fixtures.user("ANNOTATOR")];
    const data = await dataset([{}], { reviewsRequired: 2 });
    const pairId = data.pairIds[0]!;
    await getDb().review.create({ data: { pairId, reviewerId: other.id, decision: "REJECT", revision: 1, reasonCode: "still-insecure" } });
    const body = await (await queueReviews(browserRequest(`/api/queue/${pairId}/reviews`, { cookie: me.cookie }), routeParams({ pairId }))).json();
    expect(body).toEqual({ hidden: true, count: 1, reviews: [] });
  });
});
