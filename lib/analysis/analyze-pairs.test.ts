// Pair analysis against the real test database and the real Bandit: findings per revision with CWEs, masks per
// tokenizer, parse errors, and a job that resumes without redoing finished batches.
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../db/client";
import { computePairMasks } from "../masks/mask-spans";
import { createTestDataset } from "../pairs/test-pairs";
import { DEFAULT_TOKENIZER_ID, loadTokenizer } from "../tokenizers/registry";
import { findPairsToAnalyze, runAnalyzePairsJob } from "./analyze-job";

const hasBandit = spawnSync("bandit", ["--version"]).status === 0;
if (!hasBandit) console.warn("analyze-pairs tests skipped: bandit is not installed (npm test installs it as root)");

const db = getDb();
let datasetId: string;

const SHELL_INSECURE = `import subprocess\n\n\ndef list_dir(path):\n    return subprocess.check_output("ls " + path, shell=True)\n`;
const SHELL_SECURE = `import subprocess\n\n\ndef list_dir(path):\n    return subprocess.check_output(["ls", "--", path])\n`;
const YAML_INSECURE = `import yaml\n\n\ndef load(text):\n    return yaml.load(text)\n`;
const BROKEN_SECURE = `import yaml\n\n\ndef load(text)\n    return yaml.safe_load(text)\n`;

let testDataset: Awaited<ReturnType<typeof createTestDataset>>;
const createPair = (instruction: string, insecureCode: string, secureCode: string) =>
  testDataset.pair({ instruction, insecureCode, secureCode, cweId: "CWE-78" });

const quietContext = (startedAt: Date, cancelAfterBatches = Infinity) => {
  let checks = 0;
  const progress: [number, number | null | undefined][] = [];
  return {
    progress,
    context: {
      startedAt,
      reportProgress: async (done: number, total?: number | null) => void progress.push([done, total]),
      // isCancelled is asked once before each batch: answering yes after N batches simulates a worker dying there.
      isCancelled: async () => checks++ >= cancelAfterBatches,
    },
  };
};

beforeAll(async () => {
  testDataset = await createTestDataset(`analysis-test-${Date.now()}`);
  datasetId = testDataset.id;
});

afterAll(async () => {
  await testDataset.remove();
});

describe.skipIf(!hasBandit)("pair analysis", () => {
  it("stores Bandit findings with CWEs per side, masks with character spans, and parse errors", async () => {
    const shell = await createPair("List a folder", SHELL_INSECURE, SHELL_SECURE);
    const yaml = await createPair("Load settings", YAML_INSECURE, BROKEN_SECURE);
    const { context } = quietContext(new Date());
    const summary = await runAnalyzePairsJob(db, { datasetId, tokenizerIds: [DEFAULT_TOKENIZER_ID], batchSize: 200 }, context);
    expect(summary).toMatchObject({ pairs: 2, parseErrors: 1, cancelled: false });
    expect(summary.tools.bandit).toMatch(/^\d+\.\d+/);

    const shellFindings = await db.finding.findMany({ where: { pairId: shell.id } });
    const b602 = shellFindings.find((finding) => finding.ruleId === "B602");
    expect(b602).toMatchObject({ side: "INSECURE", cweId: "CWE-78", severity: "high", startLine: 5, tool: "bandit" });
    expect(shellFindings.filter((finding) => finding.side === "SECURE").every((finding) => finding.severity === "low")).toBe(true);

    const yamlFindings = await db.finding.findMany({ where: { pairId: yaml.id } });
    expect(yamlFindings.find((finding) => finding.ruleId === "B506")).toMatchObject({ side: "INSECURE", cweId: "CWE-20", startLine: 5 });

    const brokenPair = await db.pair.findUniqueOrThrow({ where: { id: yaml.id } });
    expect(brokenPair.insecureParseError).toBeNull();
    expect(brokenPair.secureParseError).toMatch(/^line 4/);

    const tokenizer = await loadTokenizer(DEFAULT_TOKENIZER_ID);
    const expected = computePairMasks(tokenizer, SHELL_INSECURE, SHELL_SECURE);
    const stored = await db.mask.findFirstOrThrow({ where: { pairId: shell.id, tokenizerId: DEFAULT_TOKENIZER_ID } });
    expect(stored.insecureIds).toEqual(expected.insecure.ids);
    expect(stored.secureMask).toEqual(Array.from(expected.secure.mask));
    expect(stored.secureSpans).toEqual(expected.secure.charSpans);
    // The fix replaced the string concatenation: the masked secure text must contain the new argument list.
    const maskedSecure = (stored.secureSpans as [number, number][]).map(([start, end]) => SHELL_SECURE.slice(start, end)).join("");
    expect(maskedSecure).toContain('["ls"');
  });

  it("resumes after a crash without redoing finished batches, and skips what it already did", async () => {
    const startedAt = new Date();
    for (let index = 0; index < 3; index++) await createPair(`Pair ${index}`, SHELL_INSECURE + `\nX = ${index}\n`, SHELL_SECURE + `\nX = ${index}\n`);
    const before = await findPairsToAnalyze(db, { datasetId }, startedAt);
    expect(before.length).toBe(5); // the two pairs of the first test were analyzed before this job was created

    const crashed = quietContext(startedAt, 2);
    const first = await runAnalyzePairsJob(db, { datasetId, tokenizerIds: [DEFAULT_TOKENIZER_ID], batchSize: 2 }, crashed.context);
    expect(first).toMatchObject({ pairs: 4, cancelled: true });

    const resumed = quietContext(startedAt);
    const second = await runAnalyzePairsJob(db, { datasetId, tokenizerIds: [DEFAULT_TOKENIZER_ID], batchSize: 2 }, resumed.context);
    expect(second.pairs).toBe(1);
    expect(resumed.progress[0]).toEqual([0, 1]);

    const again = await runAnalyzePairsJob(db, { datasetId, tokenizerIds: [DEFAULT_TOKENIZER_ID], batchSize: 2 }, quietContext(startedAt).context);
    expect(again.pairs).toBe(0);
  });

  it("keeps each revision's findings apart when a pair is edited", async () => {
    const pair = await createPair("List a folder again", SHELL_INSECURE + "\n\n", SHELL_SECURE + "\n\n");
    await runAnalyzePairsJob(db, { pairIds: [pair.id], tokenizerIds: [DEFAULT_TOKENIZER_ID], batchSize: 10 }, quietContext(new Date()).context);
    const revisionOne = await db.pairRevision.findFirstOrThrow({ where: { pairId: pair.id, revision: 1 } });
    const revisionOneFindings = await db.finding.count({ where: { pairRevisionId: revisionOne.id } });

    // An edit that leaves the insecure shell call in the "secure" code: revision 2 must be flagged, revision 1 untouched.
    const edited = SHELL_INSECURE + "\n\n";
    await db.pairRevision.create({
      data: { pairId: pair.id, revision: 2, instruction: pair.instruction, insecureCode: pair.insecureCode, secureCode: edited, reasonInsecure: "", reasonSecure: "", reasoning: "", contentHash: "edited" },
    });
    await db.pair.update({ where: { id: pair.id }, data: { revision: 2, secureCode: edited } });
    await runAnalyzePairsJob(db, { pairIds: [pair.id], tokenizerIds: [DEFAULT_TOKENIZER_ID], batchSize: 10 }, quietContext(new Date()).context);

    const revisionTwo = await db.pairRevision.findFirstOrThrow({ where: { pairId: pair.id, revision: 2 } });
    expect(await db.finding.count({ where: { pairRevisionId: revisionOne.id } })).toBe(revisionOneFindings);
    expect(await db.finding.findFirst({ where: { pairRevisionId: revisionTwo.id, side: "SECURE", ruleId: "B602" } })).not.toBeNull();
    expect((await db.pair.findUniqueOrThrow({ where: { id: pair.id } })).secureFlagged).toBe(true);
    expect(await db.mask.count({ where: { pairId: pair.id } })).toBe(2);
  });
});
