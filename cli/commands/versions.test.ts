// `disco versions` as a user runs it: a real process against the test database.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDataset } from "../../lib/datasets/versions/testing";

const BIN = path.resolve("bin/disco.mjs");
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

function disco(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env }, encoding: "utf8", timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("disco versions", () => {
  it("freezes, lists and compares versions; bad input exits 2 with the reason", async () => {
    const data = await createTestDataset([
      ...Array.from({ length: 20 }, () => ({ status: "ACCEPTED" as const, cweId: "CWE-89" })),
      ...Array.from({ length: 5 }, () => ({ status: "ACCEPTED" as const, cweId: "CWE-79" })),
      { status: "REJECTED" as const },
    ]);
    cleanups.push(data.cleanup);

    const all = disco(["versions", "freeze", "--dataset", data.name, "--name", "all", "--json"]);
    expect(all.stderr).toBe("");
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout)).toMatchObject({ version: 1, pairCount: 26, splitCounts: { TRAIN: 24, VAL: 1, TEST: 1 } }); // 0.78 -> 1, 0.52 -> 1

    const accepted = disco(["versions", "freeze", "--dataset", data.name, "--name", "accepted-ood", "--status", "accepted", "--exclude-cwe", "CWE-79", "--split", ".8,.1,.1", "--seed", "7", "--json"]);
    expect(accepted.code).toBe(0);
    expect(JSON.parse(accepted.stdout)).toMatchObject({ version: 2, pairCount: 20, splitCounts: { TRAIN: 16, VAL: 2, TEST: 2 } });

    const list = disco(["versions", "list", "--dataset", data.name]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/accepted-ood\s+20\s+16\/2\/2\s+CWE-79/);

    const diff = disco(["versions", "compare", `${data.name}@1`, `${data.name}@2`, "--json"]);
    expect(diff.code).toBe(0);
    const parsed = JSON.parse(diff.stdout);
    expect([parsed.added.length, parsed.removed.length, parsed.changed.length]).toEqual([0, 6, 0]);

    const empty = disco(["versions", "freeze", "--dataset", data.name, "--name", "x", "--status", "conflict"]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/selection matches no pairs/);
    const badStatus = disco(["versions", "freeze", "--dataset", data.name, "--name", "x", "--status", "approved"]);
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toMatch(/unknown status "approved"/);
    const noDataset = disco(["versions", "list", "--dataset", "no-such-dataset-xyz"]);
    expect(noDataset.code).toBe(2);
    expect(noDataset.stderr).toMatch(/no dataset named "no-such-dataset-xyz"/);
  });
});
