import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../db/client";
import { createTestDataset } from "../datasets/versions/testing";
import { createFixtures } from "../testing/fixtures";
import { assignDatasetPairs, assignPairs, distributeAssignments } from "./assignments";
import { listConflicts, resolveConflict } from "./conflicts";
import { getDatasetAgreement } from "./dataset-agreement";
import { getMyQueue } from "./my-queue";
import { listVisibleReviews } from "./visible-reviews";

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

async function review(pairId: string, reviewerId: string, decision: "ACCEPT" | "REJECT") {
  await getDb().review.create({ data: { pairId, reviewerId, decision, revision: 1 } });
}

describe("getDatasetAgreement", () => {
  it("computes Cohen's kappa for two reviewers from the reviews table, ignoring single-reviewed pairs and resolutions", async () => {
    const [a, b, lead] = [await fixtures.user("ANNOTATOR"), await fixtures.user("ANNOTATOR"), await fixtures.user("LEAD")];
    const data = await dataset(Array.from({ length: 6 }, () => ({})), { reviewsRequired: 2 });
    const [p0, p1, p2, p3, p4] = data.pairIds as string[];
    // 4 doubly-reviewed pairs: agree ACCEPT, agree REJECT, A accept/B reject, agree ACCEPT.
    // By hand: P_o = 3/4; A accepts 3/4, B accepts 2/4; P_e = 3/4*2/4 + 1/4*2/4 = 1/2; kappa = (0.75-0.5)/0.5 = 0.5.
    await review(p0!, a.id, "ACCEPT"), await review(p0!, b.id, "ACCEPT");
    await review(p1!, a.id, "REJECT"), await review(p1!, b.id, "REJECT");
    await review(p2!, a.id, "ACCEPT"), await review(p2!, b.id, "REJECT");
    await review(p3!, a.id, "ACCEPT"), await review(p3!, b.id, "ACCEPT");
    await review(p4!, a.id, "ACCEPT"); // single review: progress only
    await getDb().review.create({ data: { pairId: p2!, reviewerId: lead.id, decision: "ACCEPT", revision: 1, isResolution: true } });

    const result = await getDatasetAgreement(getDb(), data.id);
    expect(result.method).toBe("cohen");
    expect(result.ratedPairs).toBe(4);
    // Reviews of an earlier revision judged other code: after an edit of p3 its two votes drop out.
    await data.editPair(p3!, "int(z)  # edited");
    const afterEdit = await getDatasetAgreement(getDb(), data.id);
    expect(afterEdit.ratedPairs).toBe(3);
    expect(afterEdit.progress.decided).toBe(7);
    expect(result.raters).toBe(2);
    expect(result.agreement!.kappa).toBeCloseTo(0.5, 12);
    expect(result.progress).toEqual({ pairs: 6, decided: 9, required: 12, completePairs: 4 });
    expect(result.annotators.map((row) => [row.email, row.decided])).toEqual([[a.email, 5], [b.email, 4]]);
  });

  it("switches to Fleiss' kappa with a third reviewer, and reports null with no doubly-reviewed pair", async () => {
    const [a, b, c] = [await fixtures.user("ANNOTATOR"), await fixtures.user("ANNOTATOR"), await fixtures.user("ANNOTATOR")];
    const data = await dataset([{}, {}], { reviewsRequired: 3 });
    const empty = await getDatasetAgreement(getDb(), data.id);
    expect(empty).toMatchObject({ method: null, agreement: null, ratedPairs: 0 });
    const [p0, p1] = data.pairIds as string[];
    await review(p0!, a.id, "ACCEPT"), await review(p0!, b.id, "ACCEPT"), await review(p0!, c.id, "ACCEPT");
    await review(p1!, a.id, "REJECT"), await review(p1!, b.id, "REJECT"), await review(p1!, c.id, "ACCEPT");
    // By hand: P_1 = 1, P_2 = (2*1)/(3*2) = 1/3, P-bar = 2/3; totals ACCEPT 4, REJECT 2 of 6: P_e = 16/36 + 4/36 = 5/9;
    // kappa = (2/3 - 5/9) / (4/9) = 0.25.
    const result = await getDatasetAgreement(getDb(), data.id);
    expect(result.method).toBe("fleiss");
    expect(result.agreement!.kappa).toBeCloseTo(0.25, 12);
    expect(result.progress).toEqual({ pairs: 2, decided: 6, required: 6, completePairs: 2 });
  });
});

describe("review queues", () => {
  it("shows a user their assigned pairs, then unassigned pairs still needing reviews, never pairs they decided", async () => {
    const [me, other, researcher] = [await fixtures.user("ANNOTATOR"), await fixtures.user("ANNOTATOR"), await fixtures.user("RESEARCHER")];
    const data = await dataset([{}, {}, {}, {}, { status: "CONFLICT" }], { reviewsRequired: 1 });
    const [assignedToMe, assignedToOther, unassignedOpen, unassignedDone, conflict] = data.pairIds as string[];
    const assigned = await assignPairs(getDb(), { pairIds: [assignedToMe!], userIds: [me.id], actorId: researcher.id });
    expect(assigned).toEqual({ created: 1, requested: 1 });
    expect(await assignPairs(getDb(), { pairIds: [assignedToMe!], userIds: [me.id], actorId: researcher.id })).toEqual({ created: 0, requested: 1 });
    await assignPairs(getDb(), { pairIds: [assignedToOther!], userIds: [other.id], actorId: researcher.id });
    await review(unassignedDone!, other.id, "ACCEPT");

    const queue = await getMyQueue(getDb(), me.id, { datasetId: data.id });
    expect(queue.items.map((item) => item.id)).toEqual([assignedToMe, unassignedOpen]);
    expect(queue.items[0]!.assigned).toBe(true);
    expect(queue.items.some((item) => item.id === conflict)).toBe(false);
    expect(queue.progress).toEqual({ decided: 0, assignedTotal: 1, assignedDecided: 0 });

    await review(assignedToMe!, me.id, "REJECT");
    const after = await getMyQueue(getDb(), me.id, { datasetId: data.id });
    expect(after.items.map((item) => item.id)).toEqual([unassignedOpen]);
    expect(after.progress).toEqual({ decided: 1, assignedTotal: 1, assignedDecided: 1 });

    // An edit creates revision 2: my decision judged revision 1, so the pair is back in my queue.
    await data.editPair(assignedToMe!, "int(x)  # edited");
    expect((await getMyQueue(getDb(), me.id, { datasetId: data.id })).items.map((item) => item.id)).toEqual([assignedToMe, unassignedOpen]);

    const otherQueue = await getMyQueue(getDb(), other.id, { datasetId: data.id });
    expect(otherQueue.items.map((item) => item.id)).toEqual([assignedToOther, unassignedOpen]);
  });

  it("spreads a dataset's pairs round-robin, perPair distinct annotators each, equal shares", async () => {
    expect(distributeAssignments(["p1", "p2", "p3"], ["u1", "u2", "u3"], 2)).toEqual([
      { pairId: "p1", userId: "u1" }, { pairId: "p1", userId: "u2" },
      { pairId: "p2", userId: "u2" }, { pairId: "p2", userId: "u3" },
      { pairId: "p3", userId: "u3" }, { pairId: "p3", userId: "u1" },
    ]);
    expect(() => distributeAssignments(["p1"], ["u1"], 2)).toThrow(/needs 2 different annotators but only 1/);

    const [a, b, c, researcher] = [await fixtures.user("ANNOTATOR"), await fixtures.user("ANNOTATOR"), await fixtures.user("ANNOTATOR"), await fixtures.user("RESEARCHER")];
    const data = await dataset([{}, {}, {}, {}, {}, {}, { status: "ACCEPTED" }], { reviewsRequired: 2 });
    const result = await assignDatasetPairs(getDb(), { datasetId: data.id, statuses: ["UNREVIEWED"], userIds: [a.id, b.id, c.id], actorId: researcher.id });
    expect(result).toEqual({ created: 12, requested: 12 });
    for (const user of [a, b, c]) expect(await getDb().reviewAssignment.count({ where: { userId: user.id } })).toBe(4);
    expect(await getDb().reviewAssignment.count({ where: { pairId: data.pairIds[6]! } })).toBe(0);
    await expect(assignDatasetPairs(getDb(), { datasetId: data.id, statuses: ["CONFLICT"], userIds: [a.id], actorId: researcher.id })).rejects.toThrow(/nothing to assign/);
  });

  it("refuses assignments to unknown users or pairs and changes nothing", async () => {
    const researcher = await fixtures.user("RESEARCHER");
    const data = await dataset([{}]);
    await expect(assignPairs(getDb(), { pairIds: data.pairIds, userIds: ["00000000-0000-0000-0000-000000000000"], actorId: researcher.id })).rejects.toThrow(/no user with id/);
    await expect(assignPairs(getDb(), { pairIds: ["00000000-0000-0000-0000-000000000000"], userIds: [researcher.id], actorId: researcher.id })).rejects.toThrow(/no pair with id/);
    expect(await getDb().reviewAssignment.count({ where: { pairId: { in: data.pairIds } } })).toBe(0);
  });

  it("hides others' decisions from a reviewer until they decide; leads always see them", async () => {
    const [me, other, lead] = [await fixtures.user("ANNOTATOR"), await fixtures.user("ANNOTATOR"), await fixtures.user("LEAD")];
    const data = await dataset([{}], { reviewsRequired: 2 });
    const pairId = data.pairIds[0]!;
    await review(pairId, other.id, "REJECT");
    const before = await listVisibleReviews(getDb(), pairId, { id: me.id, role: "ANNOTATOR" });
    expect(before).toMatchObject({ hidden: true, count: 1, reviews: [] });
    expect(JSON.stringify(before)).not.toContain("REJECT");
    expect((await listVisibleReviews(getDb(), pairId, { id: lead.id, role: "LEAD" })).reviews.map((r) => r.decision)).toEqual(["REJECT"]);
    await review(pairId, me.id, "ACCEPT");
    const afterDeciding = await listVisibleReviews(getDb(), pairId, { id: me.id, role: "ANNOTATOR" });
    expect(afterDeciding.hidden).toBe(false);
    expect(afterDeciding.reviews.map((r) => r.decision)).toEqual(["REJECT", "ACCEPT"]);
  });
});

describe("conflict resolution", () => {
  it("lists conflicts with their reviews; a lead's resolution sets the status, keeps the votes, and is audited", async () => {
    const [a, b, lead] = [await fixtures.user("ANNOTATOR"), await fixtures.user("ANNOTATOR"), await fixtures.user("LEAD")];
    const data = await dataset([{ status: "CONFLICT" }, { status: "ACCEPTED" }], { reviewsRequired: 2 });
    const [pairId, acceptedId] = data.pairIds as string[];
    await review(pairId!, a.id, "ACCEPT"), await review(pairId!, b.id, "REJECT");
    const conflicts = await listConflicts(getDb(), { datasetId: data.id });
    expect(conflicts.map((pair) => pair.id)).toEqual([pairId]);
    expect(conflicts[0]!.reviews.map((r) => r.decision).sort()).toEqual(["ACCEPT", "REJECT"]);

    const result = await resolveConflict(getDb(), { pairId: pairId!, leadId: lead.id, decision: "REJECT", note: "secure side still leaks" });
    expect(result.status).toBe("REJECTED");
    expect((await getDb().pair.findUniqueOrThrow({ where: { id: pairId! } })).status).toBe("REJECTED");
    const reviews = await getDb().review.findMany({ where: { pairId: pairId! } });
    expect(reviews).toHaveLength(3);
    expect(reviews.find((r) => r.isResolution)).toMatchObject({ reviewerId: lead.id, decision: "REJECT", reasonText: "secure side still leaks" });
    const audit = await getDb().auditLog.findMany({ where: { entityId: pairId!, action: "pair.resolve" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorId).toBe(lead.id);

    await expect(resolveConflict(getDb(), { pairId: acceptedId!, leadId: lead.id, decision: "REJECT" })).rejects.toThrow(/is accepted, not in conflict/);
    expect((await getDb().pair.findUniqueOrThrow({ where: { id: acceptedId! } })).status).toBe("ACCEPTED");
    expect(await listConflicts(getDb(), { datasetId: data.id })).toEqual([]);
  });
});
