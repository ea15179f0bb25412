// `disco distill` as a user runs it: a real process against the test database and the fake OpenAI server (started
// here; the process must be spawned asynchronously so this process keeps answering it). The 200-prompt run is the
// issue's "done when" check: it completes, reports flagged rates per refinement round, and costs add up.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../lib/db/client";
import { discoBehaviour, startFakeOpenAI, type TFakeOpenAI } from "../../lib/testing/fake-openai-server";

const BIN = path.resolve("bin/disco.mjs");
const db = getDb();
const tag = crypto.randomBytes(4).toString("hex");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "disco-distill-cli-"));
// The file name tells the importer the source (Bandit's rules file).
const kbFile = path.join(dir, `bandit_rules_${tag}.csv`);
let server: TFakeOpenAI;
const packageIds: string[] = [];

function disco(args: string[], timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const CWES = ["CWE-78", "CWE-89", "CWE-22", "CWE-327", "CWE-502", "CWE-798", "CWE-79", "CWE-611", "CWE-295", "CWE-330"];

beforeAll(async () => {
  server = await startFakeOpenAI();
  // 40 issues over 10 CWEs; all prompts complex over 40 x 5+ (issue, package) combinations, so 200 prompts repeat none
  // (a repeated prompt gets the same fake answer, which the dataset already holds: it would be skipped as a duplicate).
  const rows = ["Title,CWE,Description,Examples"];
  for (let i = 0; i < 40; i++) rows.push(`"Issue ${tag} number ${i}",${CWES[i % CWES.length]},"Description of issue ${i} for the CLI test.",None`);
  fs.writeFileSync(kbFile, rows.join("\n") + "\n");
  for (let i = 0; i < 5; i++) packageIds.push((await db.package.create({ data: { name: `clipkg_${tag}_${i}` } })).id);
});

afterAll(async () => {
  const jobs = await db.distillationJob.findMany({ where: { dataset: { name: { startsWith: `cli-distill-${tag}` } } }, select: { id: true } });
  await db.distillationJob.deleteMany({ where: { id: { in: jobs.map((job) => job.id) } } });
  await db.dataset.deleteMany({ where: { name: { startsWith: `cli-distill-${tag}` } } });
  await db.knowledgeEntry.deleteMany({ where: { title: { startsWith: `Issue ${tag} ` } } });
  await db.package.deleteMany({ where: { id: { in: packageIds } } });
  await db.llmProvider.deleteMany({ where: { baseUrl: server.baseUrl } });
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("disco distill", () => {
  it("refuses bad input with exit 2 and the reason", async () => {
    const bad = await disco(["distill", "--kb", "all", "--n", "0", "--model", "m", "--base-url", server.baseUrl]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/n must be at least 1/);
    const rounds = await disco(["distill", "--kb", "all", "--n", "5", "--rounds", "4", "--model", "m", "--base-url", server.baseUrl]);
    expect(rounds.code).toBe(2);
    expect(rounds.stderr).toMatch(/rounds must be 0-3/);
    const kb = await disco(["distill", "--kb", "/nonexistent.csv", "--n", "5", "--model", "m", "--base-url", server.baseUrl]);
    expect(kb.code).toBe(2);
    expect(kb.stderr).toMatch(/--kb must be one of/);
  });

  it("runs a 200-prompt distillation to the end with one refinement round and reports it", { timeout: 600_000 }, async () => {
    server.reset();
    let generations = 0;
    // Every fourth secure code keeps SHA-1 (Bandit flags it) until refined.
    server.setBehaviour(discoBehaviour({ secureStillFlagged: () => generations++ % 4 === 0 }));
    const result = await disco(
      [
        "distill", "--kb", kbFile, "--n", "200", "--complex-share", "1", "--model", "gpt-4o-2024-08-06", "--base-url", server.baseUrl,
        "--rounds", "1", "--budget", "20", "--concurrency", "16", "--dataset", `cli-distill-${tag}`, "--no-codeql", "--wait", "--json",
      ],
      540_000,
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.status).toBe("SUCCEEDED");
    expect(report.counts).toMatchObject({ planned: 200, sent: 200, parsed: 200, failed: 0, skipped: 0, pairs: 200, pending: 0 });
    expect(report.flaggedByRound).toEqual([
      { round: 0, analyzed: 200, flagged: 50, share: 0.25 },
      { round: 1, analyzed: 200, flagged: 0, share: 0 },
    ]);
    // 200 generations + 50 refinements, each sent exactly once.
    expect(server.requests).toHaveLength(250);
    expect(new Set(server.requests.map((req) => req.prompt)).size).toBe(250);
    expect(report.attempts).toMatchObject({ total: 250, refine: 50, failed: 0 });
    // Spend at the list price of gpt-4o-2024-08-06 ($2.50 / $10 per 1M tokens), from the stored token counts.
    // Each attempt's cost is stored in micro-dollars, so the total is within half a micro-dollar per attempt.
    const byHand = (report.attempts.promptTokens * 2.5 + report.attempts.completionTokens * 10) / 1e6;
    expect(Math.abs(report.spentUsd - byHand)).toBeLessThanOrEqual(250 * 0.5e-6 + 1e-12);
    expect(report.spentUsd).toBeGreaterThan(0.5); // 250 requests of a few hundred tokens each way
    expect(report.spentUsd).toBeLessThanOrEqual(20);
    // Every CWE of the file was covered.
    const cwes = await db.pair.groupBy({ by: ["cweId"], where: { distillationJobId: report.id } });
    expect(cwes).toHaveLength(10);
  });
});
