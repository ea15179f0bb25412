// Test helpers for distillation jobs: a throwaway knowledge base, a provider pointing at a fake OpenAI server, a
// launch, and removal of everything they created. Used by the engine tests, the CLI test and the API tests.
import crypto from "node:crypto";
import { getDb } from "../../db/client";
import type { JobContext } from "../../jobs/handlers";
import { launchDistillation } from "./launch";
import type { TLaunchInput } from "./config";

export const TEST_CWES = [
  { cweId: "CWE-78", title: "OS Command Injection", description: "Building a shell command from user input lets an attacker run commands." },
  { cweId: "CWE-327", title: "Use of a Broken or Risky Cryptographic Algorithm", description: "Weak hashes such as MD5 can be collided." },
  { cweId: "CWE-22", title: "Path Traversal", description: "A path built from user input can escape the intended directory." },
  { cweId: "CWE-502", title: "Deserialization of Untrusted Data", description: "Unpickling attacker data can run arbitrary code." },
  { cweId: "CWE-89", title: "SQL Injection", description: "Queries built by string formatting let input change the SQL." },
  { cweId: "CWE-798", title: "Use of Hard-coded Credentials", description: "Credentials in source code leak with the code." },
];

export async function createDistillFixture(options: { entries?: number; packages?: number; baseUrl: string }) {
  const db = getDb();
  const tag = crypto.randomBytes(4).toString("hex");
  const entries: { id: string; cweId: string; title: string }[] = [];
  for (let i = 0; i < (options.entries ?? 4); i++) {
    const base = TEST_CWES[i % TEST_CWES.length]!;
    entries.push(
      await db.knowledgeEntry.create({
        data: { cweId: base.cweId, title: `${base.title} ${tag}-${i}`, description: base.description, source: "CUSTOM" },
        select: { id: true, cweId: true, title: true },
      }),
    );
  }
  const packages: { id: string; name: string }[] = [];
  for (let i = 0; i < (options.packages ?? 3); i++) {
    packages.push(await db.package.create({ data: { name: `pkg_${tag}_${i}` }, select: { id: true, name: true } }));
  }
  const provider = await db.llmProvider.create({ data: { name: `fake-${tag}`, baseUrl: options.baseUrl }, select: { id: true } });
  const jobIds: string[] = [];
  const datasetName = `distill-test-${tag}`;
  return {
    tag,
    entries,
    packages,
    providerId: provider.id,
    datasetName,
    input(overrides: Partial<TLaunchInput> = {}): TLaunchInput {
      return {
        providerId: provider.id,
        model: "gpt-4o-2024-08-06",
        n: 6,
        complexShare: 0.5,
        entries: { entryIds: entries.map((entry) => entry.id) },
        packageIds: packages.map((pkg) => pkg.id),
        budgetUsd: 100,
        concurrency: 3,
        rounds: 1,
        price: { inputUsdPerMTok: 1, outputUsdPerMTok: 2 },
        useCodeql: false,
        dataset: { name: datasetName },
        ...overrides,
      };
    },
    async launch(overrides: Partial<TLaunchInput> = {}, enqueue = false) {
      const launched = await launchDistillation(db, this.input(overrides), { enqueue });
      jobIds.push(launched.jobId);
      return launched;
    },
    track(jobId: string) {
      jobIds.push(jobId);
    },
    async cleanup() {
      await db.distillationJob.deleteMany({ where: { id: { in: jobIds } } });
      const datasets = await db.dataset.findMany({ where: { name: { startsWith: datasetName } }, select: { id: true } });
      await db.dataset.deleteMany({ where: { id: { in: datasets.map((d) => d.id) } } });
      await db.distillationPrompt.deleteMany({ where: { entryId: { in: entries.map((e) => e.id) } } });
      await db.knowledgeEntry.deleteMany({ where: { id: { in: entries.map((e) => e.id) } } });
      await db.package.deleteMany({ where: { id: { in: packages.map((p) => p.id) } } });
      await db.llmProvider.deleteMany({ where: { id: provider.id } });
    },
  };
}

/** A job context like the worker's, for running the handler in-process. */
export function testJobContext(overrides: Partial<JobContext> = {}): JobContext {
  return {
    db: getDb(),
    jobId: crypto.randomUUID(),
    retryCount: 0,
    createdAt: new Date(),
    reportProgress: async () => {},
    isCancelled: async () => false,
    ...overrides,
  };
}
