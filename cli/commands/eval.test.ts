// `disco bench import` and `disco eval score` as a user runs them: real processes against the test database.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../../lib/db/client";
import { projectRoot } from "../../lib/project-root";

const BIN = path.resolve(projectRoot(), "bin/disco.mjs");
const HUMANEVAL = path.resolve(projectRoot(), "../shared/data/bench/humaneval/HumanEval.jsonl");
const db = getDb();
const name = `cli-bench-${crypto.randomBytes(4).toString("hex")}`;

function disco(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL }, encoding: "utf8", timeout: 180_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

afterAll(async () => {
  await db.evaluation.deleteMany({ where: { benchmark: { name } } });
  await db.benchmark.deleteMany({ where: { name } });
});

describe("disco bench / disco eval", () => {
  it("rejects bad input with exit 2 and a missing file with exit 1", () => {
    const badFormat = disco(["bench", "import", "x.jsonl", "--format", "nope"]);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/--format must be one of securityeval, asleep/);
    const missing = disco(["bench", "import", "/nonexistent/file.jsonl", "--format", "humaneval"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*ENOENT/);
    const badId = disco(["eval", "score", "not-a-uuid"]);
    expect(badId.code).toBe(2);
    expect(badId.stderr).toMatch(/must be a UUID/);
  });

  it.skipIf(!fs.existsSync(HUMANEVAL))("imports HumanEval (164 items) idempotently and scores an evaluation of its canonical solutions", async () => {
    const first = disco(["bench", "import", HUMANEVAL, "--format", "humaneval", "--name", name, "--json"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report).toMatchObject({ name, items: 164, outcome: "created", kind: "UTILITY", promptKinds: { COMPLETION: 164 } });
    const again = disco(["bench", "import", HUMANEVAL, "--format", "humaneval", "--name", name]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`${name} (utility, humaneval): 164 items (164 completion), unchanged`);

    // An evaluation whose generations are 3 canonical solutions and one wrong answer, stored as a generator would.
    const items = await db.benchmarkItem.findMany({ where: { benchmarkId: report.benchmarkId }, orderBy: { externalId: "asc" }, take: 4 });
    const evaluation = await db.evaluation.create({ data: { benchmarkId: report.benchmarkId, decoding: { temperature: 0.2 }, samplesPerItem: 1, benchmarkHash: report.sourceHash } });
    for (const [k, item] of items.entries()) {
      const code = k < 3 ? (item.metadata as { canonicalSolution: string }).canonicalSolution : `def ${item.entryPoint}(*args):\n    return None\n`;
      await db.generation.create({ data: { evaluationId: evaluation.id, itemId: item.id, sampleIndex: 0, rawText: code, extractedCode: code } });
    }
    const scored = disco(["eval", "score", evaluation.id, "--json"]);
    expect(scored.stderr).toBe("");
    expect(scored.code).toBe(0);
    expect(JSON.parse(scored.stdout)).toMatchObject({ generations: 4, valid: 4, passed: 3, "pass@1": 0.75, "pass@5": null });
    const human = disco(["eval", "score", evaluation.id]);
    expect(human.stdout).toContain("pass@1 75.0");
  });
});
