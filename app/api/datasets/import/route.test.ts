// POST /api/datasets/import end to end: a real multipart upload, the import job run by a real worker, its report.
import crypto from "node:crypto";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { uploadsDir } from "@/lib/datasets/import/import-job";
import { stopBoss } from "@/lib/jobs/boss";
import { cancelJob, getJob, type JobView } from "@/lib/jobs/enqueue";
import { startWorker } from "@/lib/jobs/worker";
import { createFixtures, TEST_ORIGIN, type TestUser } from "@/lib/testing/fixtures";
import { POST } from "./route";

const db = getDb();
const fixtures = createFixtures();
const datasetName = `upload-test-${fixtures.tag}`;
const jobIds: string[] = [];
let researcher: TestUser;
let annotator: TestUser;

beforeAll(async () => {
  researcher = await fixtures.user("RESEARCHER");
  annotator = await fixtures.user("ANNOTATOR");
});

afterAll(async () => {
  for (const id of jobIds) await cancelJob(db, id).catch(() => {});
  await stopBoss({ graceful: false, timeout: 2000 });
  await db.jobProgress.deleteMany({ where: { jobId: { in: jobIds } } });
  const dataset = await db.dataset.findUnique({ where: { name: datasetName } });
  if (dataset) {
    await db.auditLog.deleteMany({ where: { entityId: dataset.id } });
    await db.pair.deleteMany({ where: { datasetId: dataset.id } });
    await db.dataset.delete({ where: { id: dataset.id } });
  }
  await fixtures.cleanup();
});

function upload(cookie: string, fields: Record<string, string | File>) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  return POST(new Request(`${TEST_ORIGIN}/api/datasets/import`, { method: "POST", headers: { host: new URL(TEST_ORIGIN).host, origin: TEST_ORIGIN, cookie }, body: form }));
}

async function waitFor(id: string, predicate: (job: JobView) => boolean, timeoutMs = 30_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJob(db, id);
    if (job && predicate(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} did not finish; last: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const REASONING = "The code may have the vulnerability CWE-89: 'SQL Injection'. The product builds SQL from input.The query is formatted with user input.The query is parameterized.";

describe("POST /api/datasets/import", () => {
  it("stores the upload, runs the import job and reports good and bad rows, then queues analysis", async () => {
    const csv = [
      ",Instruction,Secure Code,Vulnerable Code,Reasoning",
      `0,Look up a user,"cur.execute('select * from u where id = %s', (uid,))","cur.execute(f'select * from u where id = {uid}')","${REASONING}"`,
      `1,Broken,"","x","${REASONING}"`,
    ].join("\n");
    const before = new Set(fs.existsSync(uploadsDir()) ? fs.readdirSync(uploadsDir()) : []);
    const response = await upload(researcher.cookie, { file: new File([csv], "pairs.csv", { type: "text/csv" }), dataset: datasetName });
    expect(response.status).toBe(200);
    const { jobId } = (await response.json()) as { jobId: string };
    jobIds.push(jobId);
    const stored = fs.readdirSync(uploadsDir()).filter((name) => !before.has(name));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^[0-9a-f-]{36}\.csv$/);

    const worker = await startWorker(db, { queues: ["import"], log: () => {}, pollingIntervalSeconds: 0.5 });
    try {
      const job = await waitFor(jobId, (view) => view.state === "completed" || view.state === "failed");
      expect(job.state).toBe("completed");
      const result = job.result as { inserted: number; invalid: { line: number; reason: string }[]; analyzeJobId: string | null; format: string };
      expect(result).toMatchObject({ format: "disco-csv", total: 2, inserted: 1, duplicates: 0, invalidCount: 1 });
      expect(result.invalid).toEqual([{ line: 3, reason: "secure code is empty" }]);
      expect(job.done).toBe(1);
      expect(fs.existsSync(`${uploadsDir()}/${stored[0]}`)).toBe(false);
      expect(result.analyzeJobId).toBeTruthy();
      jobIds.push(result.analyzeJobId!);
      const analyze = await getJob(db, result.analyzeJobId!);
      expect(analyze).toMatchObject({ kind: "analyze.pairs", state: "created" });
      const pair = await db.pair.findFirstOrThrow({ where: { dataset: { name: datasetName } } });
      expect(pair).toMatchObject({ cweId: "CWE-89", source: "disco-csv", instruction: "Look up a user" });
      const audit = await db.auditLog.findFirst({ where: { action: "dataset.import", entityId: pair.datasetId } });
      expect(audit?.actorId).toBe(researcher.id);
    } finally {
      await worker.stop();
    }
  });

  it("refuses annotators, missing files, bad formats and cross-site posts", async () => {
    const file = () => new File(["a"], "x.csv");
    expect((await upload(annotator.cookie, { file: file(), dataset: datasetName })).status).toBe(403);
    const missing = await upload(researcher.cookie, { dataset: datasetName });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: string }).error).toBe("file is required");
    const badFormat = await upload(researcher.cookie, { file: file(), dataset: datasetName, format: "xml" });
    expect(badFormat.status).toBe(400);
    expect(((await badFormat.json()) as { error: string }).error).toMatch(/format/);
    const unknown = await upload(researcher.cookie, { file: new File(["just text"], "notes.txt"), dataset: datasetName });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/cannot detect the format of notes.txt/);
    const noName = await upload(researcher.cookie, { file: file(), dataset: " " });
    expect(((await noName.json()) as { error: string }).error).toMatch(/dataset name is required/);
    const form = new FormData();
    form.append("file", file());
    form.append("dataset", datasetName);
    const crossSite = await POST(new Request(`${TEST_ORIGIN}/api/datasets/import`, { method: "POST", headers: { host: "localhost:3000", origin: "http://evil.test", cookie: researcher.cookie }, body: form }));
    expect(crossSite.status).toBe(403);
  });
});
