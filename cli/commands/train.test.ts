// `disco train` as a user runs it: a real process against the test database. Bad input exits 2 with the reason;
// a good launch prints the queued run; --wait follows the run to its end and exits 1 unless it succeeded.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../lib/db/client";
import { createTrainingFixture } from "../../lib/training/testing";

const BIN = path.resolve("bin/disco.mjs");
let fixture: Awaited<ReturnType<typeof createTrainingFixture>>;
let modelName: string;
beforeAll(async () => {
  fixture = await createTrainingFixture({ pairs: 4 });
  modelName = (await getDb().registeredModel.findUniqueOrThrow({ where: { id: fixture.modelId } })).name;
});
afterAll(async () => {
  await fixture?.cleanup();
});

function disco(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env }, encoding: "utf8", timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("disco train", () => {
  it("refuses bad input with exit 2 and a message naming the problem", () => {
    const base = ["train", "--dataset-version", fixture.versionId, "--model", modelName];
    const badKey = disco([...base, "--method", "lpo", "--set", "loss.betta=1"]);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/unknown setting "loss.betta"/);
    const badValue = disco([...base, "--method", "lpo", "--set", "lora.r=0"]);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toMatch(/lora\.r/);
    const badPreset = disco([...base, "--preset", "nope"]);
    expect(badPreset.code).toBe(2);
    expect(badPreset.stderr).toMatch(/Unknown preset "nope"/);
    const mismatch = disco([...base, "--method", "sft", "--preset", "lpo"]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/trains lpo, not sft/);
    const noModel = disco(["train", "--method", "lpo", "--dataset-version", fixture.versionId, "--model", "no-such-model-xyz"]);
    expect(noModel.code).toBe(2);
    expect(noModel.stderr).toMatch(/no registered model "no-such-model-xyz"/);
    const noVersion = disco(["train", "--method", "lpo", "--dataset-version", "no-such-dataset@3", "--model", modelName]);
    expect(noVersion.code).toBe(2);
    expect(noVersion.stderr).toMatch(/no version 3 of a dataset named "no-such-dataset"/);
  });

  it("launches a run with --set overrides and prints it as JSON", async () => {
    const result = disco(["train", "--method", "lpo", "--preset", "lpo-no-sft", "--dataset-version", fixture.versionId, "--model", modelName, "--set", "maxSteps=3", "--set", "lora.r=8", "--set", "loss.beta=5", "--tag", "cli", "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const run = JSON.parse(result.stdout) as { id: string; status: string; config: { maxSteps: number; lora: { r: number; alpha: number }; loss: { beta: number } } };
    expect(run).toMatchObject({ status: "QUEUED", config: { maxSteps: 3, lora: { r: 8, alpha: 32 }, loss: { beta: 5 } } });
    expect(await getDb().run.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ method: "LPO", preset: "lpo-no-sft", tags: ["cli"] });
  });

  it("--wait follows the run and exits 1 when it fails", async () => {
    const child = spawn(process.execPath, [BIN, "train", "--method", "sft", "--dataset-version", fixture.versionId, "--model", modelName, "--name", `wait-${fixture.tag}`, "--wait"], { env: { ...process.env } });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.stdout.on("data", (chunk) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const db = getDb();
    let run = null;
    for (let i = 0; i < 150 && !run; i++) {
      run = await db.run.findFirst({ where: { name: `wait-${fixture.tag}` } });
      if (!run) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(run).not.toBeNull();
    // No worker trains it here: play the worker's part and fail it.
    await db.run.update({ where: { id: run!.id }, data: { status: "FAILED", error: "out of memory (simulated)", finishedAt: new Date() } });
    expect(await exited).toBe(1);
    expect(stderr).toMatch(/(queued|failed) step 0/);
    expect(stdout).toMatch(new RegExp(`run ${run!.id} failed after 0 steps: out of memory \\(simulated\\)`));
  });
});
