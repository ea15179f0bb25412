import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { createFixtures } from "../../testing/fixtures";
import { compareVersions } from "./compare-versions";
import { freezeVersion } from "./freeze-version";
import { getVersion } from "./get-version";
import { createTestDataset } from "./testing";

const fixtures = createFixtures();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  await fixtures.cleanup();
});

async function dataset(specs: Parameters<typeof createTestDataset>[0]) {
  const created = await createTestDataset(specs);
  cleanups.unshift(created.cleanup);
  return created;
}

describe("freezeVersion", () => {
  it("freezes 200 pairs into 190/6/4 with consecutive version numbers and a hash that depends only on content and split", async () => {
    const user = await fixtures.user("RESEARCHER");
    const data = await dataset(Array.from({ length: 200 }, (_, i) => ({ status: i % 2 ? "ACCEPTED" : "UNREVIEWED" }) as const));
    const v1 = await freezeVersion(getDb(), { datasetId: data.id, name: "all", createdById: user.id });
    expect(v1).toMatchObject({ version: 1, pairCount: 200, splitCounts: { TRAIN: 190, VAL: 6, TEST: 4 } });
    const detail = await getVersion(getDb(), v1.id);
    expect(detail.splitCounts).toEqual({ TRAIN: 190, VAL: 6, TEST: 4 });
    expect(detail.perCwe).toEqual([{ cweId: "CWE-95", total: 200, TRAIN: 190, VAL: 6, TEST: 4 }]);

    const v2 = await freezeVersion(getDb(), { datasetId: data.id, name: "all again", createdById: user.id });
    expect(v2.version).toBe(2);
    expect(v2.contentHash).toBe(v1.contentHash);
    const items1 = await getDb().datasetVersionItem.findMany({ where: { versionId: v1.id }, orderBy: { pairId: "asc" } });
    const items2 = await getDb().datasetVersionItem.findMany({ where: { versionId: v2.id }, orderBy: { pairId: "asc" } });
    expect(items2.map((i) => [i.pairId, i.split])).toEqual(items1.map((i) => [i.pairId, i.split]));

    const reseeded = await freezeVersion(getDb(), { datasetId: data.id, name: "seed 7", split: { train: 0.95, val: 0.03, test: 0.02, seed: 7 }, createdById: user.id });
    expect(reseeded.contentHash).not.toBe(v1.contentHash);

    const accepted = await freezeVersion(getDb(), { datasetId: data.id, name: "accepted", selection: { statuses: ["ACCEPTED"] }, createdById: user.id });
    expect(accepted.pairCount).toBe(100);
    expect(accepted.splitCounts).toEqual({ TRAIN: 95, VAL: 3, TEST: 2 });
    const audit = await getDb().auditLog.findMany({ where: { entityId: v1.id } });
    expect(audit.map((entry) => entry.action)).toEqual(["dataset_version.freeze"]);
  });

  it("leaves out excluded CWEs, keeps CWE-less pairs, and refuses an empty selection with a clear error", async () => {
    const data = await dataset([{ cweId: "CWE-79" }, { cweId: "CWE-89" }, { cweId: "CWE-78" }, { cweId: null }]);
    const version = await freezeVersion(getDb(), { datasetId: data.id, name: "ood", excludeCwes: ["cwe-079", "89"], createdById: null });
    expect(version.pairCount).toBe(2);
    const row = await getDb().datasetVersion.findUniqueOrThrow({ where: { id: version.id } });
    expect(row.excludedCwes).toEqual(["CWE-79", "CWE-89"]);
    await expect(freezeVersion(getDb(), { datasetId: data.id, name: "none", selection: { statuses: ["ACCEPTED"] }, createdById: null })).rejects.toThrow(
      /selection matches no pairs .*status ACCEPTED.*nothing to freeze/,
    );
    await expect(freezeVersion(getDb(), { datasetId: data.id, name: "bad", excludeCwes: ["XSS"], createdById: null })).rejects.toThrow(/not a CWE id: "XSS"/);
    await expect(freezeVersion(getDb(), { datasetId: data.id, name: "bad split", split: { train: 0.5, val: 0.1, test: 0.1, seed: 1 }, createdById: null })).rejects.toThrow(
      /must add up to 1/,
    );
    expect(await getDb().datasetVersion.count({ where: { datasetId: data.id } })).toBe(1);
  });

  it("refuses to pin a pair whose current revision has no stored content, and writes nothing", async () => {
    const data = await dataset([{}, {}]);
    await getDb().pair.update({ where: { id: data.pairIds[1]! }, data: { revision: 2 } });
    await expect(freezeVersion(getDb(), { datasetId: data.id, name: "broken", createdById: null })).rejects.toThrow(/has no stored revision 2/);
    expect(await getDb().datasetVersion.count({ where: { datasetId: data.id } })).toBe(0);
  });

  it("pins the current revision; the items cannot be changed; compare reports added, removed and changed pairs", async () => {
    const data = await dataset([{ status: "ACCEPTED" }, { status: "ACCEPTED" }, { status: "ACCEPTED" }, { status: "REJECTED" }]);
    const [p0, p1, p2, p3] = data.pairIds as [string, string, string, string];
    const a = await freezeVersion(getDb(), { datasetId: data.id, name: "a", selection: { statuses: ["ACCEPTED"] }, createdById: null });
    await expect(getDb().datasetVersionItem.updateMany({ where: { versionId: a.id }, data: { split: "TEST" } })).rejects.toThrow(/immutable/);
    await expect(getDb().datasetVersionItem.deleteMany({ where: { versionId: a.id } })).rejects.toThrow(/immutable/);

    await data.editPair(p1, "int(y)  # fixed");
    await getDb().pair.update({ where: { id: p2 }, data: { status: "REJECTED" } });
    await getDb().pair.update({ where: { id: p3 }, data: { status: "ACCEPTED" } });
    const b = await freezeVersion(getDb(), { datasetId: data.id, name: "b", selection: { statuses: ["ACCEPTED"] }, createdById: null });
    const itemB1 = await getDb().datasetVersionItem.findUniqueOrThrow({ where: { versionId_pairId: { versionId: b.id, pairId: p1 } } });
    expect(itemB1.pairRevision).toBe(2);

    const diff = await compareVersions(getDb(), a.id, b.id);
    expect(diff.added.map((item) => item.pairId)).toEqual([p3]);
    expect(diff.removed.map((item) => item.pairId)).toEqual([p2]);
    expect(diff.changed.map((item) => [item.pairId, item.from.pairRevision, item.to.pairRevision])).toEqual([[p1, 1, 2]]);
    // p0 is in both at the same revision and content (its split may differ since the pair set changed).
    expect(diff.resplit + diff.unchanged).toBe(1);
    expect([...diff.added, ...diff.removed, ...diff.changed].some((item) => item.pairId === p0)).toBe(false);
    await expect(compareVersions(getDb(), a.id, "00000000-0000-0000-0000-000000000000")).rejects.toThrow(/no dataset version/);
  });
});
