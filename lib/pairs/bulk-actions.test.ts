// Bulk actions on a filtered selection against the real test database: tagging is idempotent, accept-clean decides
// only analyzed pairs without findings or parse errors and leaves the others alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../db/client";
import { createFixtures, type TestUser } from "../testing/fixtures";
import { runBulkAction } from "./bulk-actions";
import { createTestDataset } from "./test-pairs";

const db = getDb();
const fixtures = createFixtures();
let dataset: Awaited<ReturnType<typeof createTestDataset>>;
let user: TestUser;
const ids: Record<string, string> = {};

beforeAll(async () => {
  dataset = await createTestDataset(`bulk-test-${fixtures.tag}`);
  user = await fixtures.user("ANNOTATOR");
  for (const key of ["clean", "flagged", "broken", "unanalyzed"]) {
    ids[key] = (await dataset.pair({ instruction: `Bulk ${key} ${fixtures.tag}`, insecureCode: `a = "${key}"\n`, secureCode: `b = "${key}"\n` })).id;
  }
  await db.pair.update({ where: { id: ids.clean! }, data: { secureFlagged: false } });
  await db.pair.update({ where: { id: ids.flagged! }, data: { secureFlagged: true } });
  await db.pair.update({ where: { id: ids.broken! }, data: { secureFlagged: false, secureParseError: "line 1: bad" } });
});
afterAll(async () => {
  await dataset.remove();
  await db.auditLog.deleteMany({ where: { actorId: user.id } });
  await fixtures.cleanup();
});

describe("runBulkAction", () => {
  it("tags the filtered pairs once", async () => {
    const first = await runBulkAction(db, user.id, { action: "tag", tag: "checked", filter: { dataset: dataset.id, flagged: "no" } });
    expect(first).toMatchObject({ selected: 2, changed: 2 });
    const again = await runBulkAction(db, user.id, { action: "tag", tag: "checked", filter: { dataset: dataset.id } });
    expect(again).toMatchObject({ selected: 4, changed: 2 });
    const tags = await db.pair.findMany({ where: { datasetId: dataset.id }, select: { tags: true } });
    expect(tags.every((row) => row.tags.filter((tag) => tag === "checked").length === 1)).toBe(true);
  });

  it("accepts only analyzed pairs with no findings and no parse errors, once", async () => {
    const result = await runBulkAction(db, user.id, { action: "accept-clean", filter: { dataset: dataset.id } });
    expect(result).toMatchObject({ selected: 1, changed: 1 });
    const statuses = Object.fromEntries((await db.pair.findMany({ where: { datasetId: dataset.id }, select: { id: true, status: true } })).map((row) => [row.id, row.status]));
    expect(statuses[ids.clean!]).toBe("ACCEPTED");
    expect([statuses[ids.flagged!], statuses[ids.broken!], statuses[ids.unanalyzed!]]).toEqual(["UNREVIEWED", "UNREVIEWED", "UNREVIEWED"]);
    expect((await runBulkAction(db, user.id, { action: "accept-clean", filter: { dataset: dataset.id } })).changed).toBe(0);
  });

  it("refuses a malformed tag", async () => {
    await expect(runBulkAction(db, user.id, { action: "tag", tag: "two words", filter: {} })).rejects.toThrow(/letters, digits/);
  });
});
