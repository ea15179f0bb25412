import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../db/client";
import { createTestDataset } from "../datasets/versions/testing";
import { getCoverage } from "./get-coverage";

const cleanups: (() => Promise<void>)[] = [];
const entryIds: string[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  await getDb().knowledgeEntry.deleteMany({ where: { id: { in: entryIds } } });
});

describe("getCoverage", () => {
  it("counts pairs and the flagged-secure rate per CWE (unanalyzed pairs not in the rate) and lists uncovered knowledge-base CWEs", async () => {
    // Very high CWE numbers that no real entry uses, so the assertions hold whatever else is in the database.
    const entry = async (cweId: string, title: string) => {
      const created = await getDb().knowledgeEntry.create({ data: { cweId, title, description: "test", source: "CUSTOM" } });
      entryIds.push(created.id);
    };
    await entry("CWE-990001", "Covered weakness");
    await entry("CWE-990002", "Uncovered weakness");
    const data = await createTestDataset([
      { cweId: "CWE-990001", secureFlagged: true },
      { cweId: "CWE-990001", secureFlagged: false },
      { cweId: "CWE-990001", secureFlagged: false },
      { cweId: "CWE-990001", secureFlagged: null },
      { cweId: "CWE-990003", secureFlagged: null },
      { cweId: null },
    ]);
    cleanups.push(data.cleanup);

    const coverage = await getCoverage(getDb(), { datasetId: data.id });
    expect(coverage.totalPairs).toBe(6);
    expect(coverage.pairsWithoutCwe).toBe(1);
    expect(coverage.perCwe).toEqual([
      { cweId: "CWE-990001", title: "Covered weakness", pairs: 4, analyzed: 3, secureFlagged: 1, flaggedRate: 1 / 3, inKnowledgeBase: true },
      { cweId: "CWE-990003", title: null, pairs: 1, analyzed: 0, secureFlagged: 0, flaggedRate: null, inKnowledgeBase: false },
    ]);
    expect(coverage.uncovered).toContainEqual({ cweId: "CWE-990002", title: "Uncovered weakness" });
    expect(coverage.uncovered.some((row) => row.cweId === "CWE-990001")).toBe(false);

    const all = await getCoverage(getDb());
    expect(all.totalPairs).toBeGreaterThanOrEqual(6);
    expect(all.perCwe.find((row) => row.cweId === "CWE-990001")!.pairs).toBe(4);
  });
});
