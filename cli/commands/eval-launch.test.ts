// `disco eval --model ... --benchmark ...` and `disco eval list` as a user runs them: real processes against the test
// database. Bad input exits 2 with the reason; a launch writes a QUEUED evaluation with the given settings.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../lib/db/client";
import { projectRoot } from "../../lib/project-root";
import { ensureTinyModel } from "../../trainer/src/models/tiny";

const BIN = path.resolve(projectRoot(), "bin/disco.mjs");
const db = getDb();
const tag = crypto.randomBytes(4).toString("hex");
const benchmarkName = `cli-eval-${tag}`;
const modelName = `cli-tiny-${tag}`;
let modelId: string;

function disco(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL }, encoding: "utf8", timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  const dir = ensureTinyModel(path.join(os.tmpdir(), "disco-tiny-model-test"));
  modelId = (await db.registeredModel.create({ data: { name: modelName, architecture: "llama", path: dir, tokenizerId: `hf:${dir}` } })).id;
  await db.benchmark.create({
    data: { name: benchmarkName, kind: "UTILITY", format: "demo", sourceHash: "c".repeat(64), items: { create: [{ externalId: "a", promptKind: "COMPLETION", prompt: "def f():\n", entryPoint: "f", tests: "assert f() == 1\n" }] } },
  });
});

afterAll(async () => {
  const evaluations = await db.evaluation.findMany({ where: { benchmark: { name: benchmarkName } }, select: { id: true } });
  await db.auditLog.deleteMany({ where: { entityId: { in: evaluations.map((e) => e.id) } } });
  await db.evaluation.deleteMany({ where: { id: { in: evaluations.map((e) => e.id) } } });
  await db.benchmark.deleteMany({ where: { name: benchmarkName } });
  await db.registeredModel.delete({ where: { id: modelId } });
});

describe("disco eval (launch)", () => {
  it("refuses bad input with exit 2 and launches with the given settings", () => {
    expect(disco(["eval", "--benchmark", benchmarkName])).toMatchObject({ code: 2, stderr: expect.stringMatching(/give one of --run, --model or --frontier/) });
    expect(disco(["eval", "--model", modelName, "--benchmark", benchmarkName, "--samples", "two"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--samples must be an integer, got "two"/) });
    expect(disco(["eval", "--run", "not-a-uuid", "--benchmark", benchmarkName])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--run must be a run id/) });
    expect(disco(["eval", "--model", "no-such-model", "--benchmark", benchmarkName])).toMatchObject({ code: 2, stderr: expect.stringMatching(/no registered model "no-such-model"/) });
    expect(disco(["eval", "--model", modelName, "--benchmark", "no-such-benchmark"])).toMatchObject({ code: 1, stderr: expect.stringMatching(/no benchmark named "no-such-benchmark"/) });

    const launched = disco(["eval", "--model", modelName, "--benchmark", benchmarkName, "--samples", "3", "--temperature", "0.2", "--max-new-tokens", "16", "--limit", "1", "--json"]);
    expect(launched.stderr).toBe("");
    expect(launched.code).toBe(0);
    const body = JSON.parse(launched.stdout) as { id: string; decoding: Record<string, unknown> };
    expect(body.decoding).toMatchObject({ n: 3, temperature: 0.2, maxNewTokens: 16, limit: 1, promptStyle: "completion", topP: 0.95, topK: 50 });

    // The subcommand spelling does the same; list shows both.
    const viaRun = disco(["eval", "run", "--model", modelName, "--benchmark", benchmarkName, "--samples", "1"]);
    expect(viaRun.code).toBe(0);
    expect(viaRun.stdout).toMatch(/queued evaluation [0-9a-f-]{36}: cli-tiny-.* on cli-eval-/);
    const list = disco(["eval", "list", "--json"]);
    expect(list.code).toBe(0);
    const rows = (JSON.parse(list.stdout) as { id: string; benchmark: { name: string } }[]).filter((row) => row.benchmark.name === benchmarkName);
    expect(rows).toHaveLength(2);
    expect(rows.map((row) => row.id)).toContain(body.id);
  }, 300_000);
});
