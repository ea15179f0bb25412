// Seeds the demo: one account per role, a small knowledge base, packages, and a dataset of insecure/secure pairs
// written by us (lib/seed/demo-data.ts). Runs only for the embedded default, and only into an empty database.
import { hashPassword } from "../auth/password";
import type { TRole } from "../auth/roles";
import type { Db } from "../db/client";
import { ensureDefaultTemplates } from "../distill/templates";
import { pairContentHash } from "../pairs/content-hash";
import { buildReasoning, DEMO_KNOWLEDGE_BASE, DEMO_PACKAGES, DEMO_PAIRS } from "./demo-data";

export const DEMO_DATASET_NAME = "Demo pairs";

export const DEMO_ACCOUNTS: { email: string; name: string; role: TRole; password: string }[] = [
  { email: "admin@disco.local", name: "Ada Admin", role: "ADMIN", password: "disco-admin-demo" },
  { email: "lead@disco.local", name: "Lee Lead", role: "LEAD", password: "disco-lead-demo" },
  { email: "researcher@disco.local", name: "Rita Researcher", role: "RESEARCHER", password: "disco-researcher-demo" },
  { email: "annotator@disco.local", name: "Ann Annotator", role: "ANNOTATOR", password: "disco-annotator-demo" },
  { email: "annotator2@disco.local", name: "Arno Annotator", role: "ANNOTATOR", password: "disco-annotator2-demo" },
];

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  return (await db.user.count()) === 0;
}

export async function seedDemo(db: Db): Promise<{ users: number; entries: number; packages: number; pairs: number }> {
  for (const account of DEMO_ACCOUNTS) {
    const passwordHash = await hashPassword(account.password);
    await db.user.upsert({
      where: { email: account.email },
      create: { email: account.email, name: account.name, role: account.role, passwordHash },
      update: {},
    });
  }
  const admin = await db.user.findUniqueOrThrow({ where: { email: DEMO_ACCOUNTS[0]!.email }, select: { id: true } });

  const entryIds = new Map<string, { id: string; title: string; description: string }>();
  for (const entry of DEMO_KNOWLEDGE_BASE) {
    const saved = await db.knowledgeEntry.upsert({
      where: { source_cweId_title: { source: entry.source, cweId: entry.cweId, title: entry.title } },
      create: entry,
      update: {},
    });
    if (!entryIds.has(entry.cweId)) entryIds.set(entry.cweId, saved);
  }
  await db.package.createMany({ data: DEMO_PACKAGES, skipDuplicates: true });
  // The default prompt templates (version 1), so the distillation form and /distill/templates have them from the start.
  await ensureDefaultTemplates(db);

  const dataset = await db.dataset.upsert({
    where: { name: DEMO_DATASET_NAME },
    create: { name: DEMO_DATASET_NAME, description: "Hand-written demo pairs across common Python weaknesses", createdById: admin.id },
    update: {},
  });
  let pairs = 0;
  for (const demo of DEMO_PAIRS) {
    const entry = entryIds.get(demo.cweId);
    if (!entry) throw new Error(`demo pair "${demo.instruction}" names ${demo.cweId}, which is not in the demo knowledge base`);
    const reasoning = buildReasoning(demo, entry);
    const content = { ...demo, reasoning };
    const contentHash = pairContentHash(content);
    const existing = await db.pair.findUnique({ where: { datasetId_contentHash: { datasetId: dataset.id, contentHash } }, select: { id: true } });
    if (existing) continue;
    await db.pair.create({
      data: {
        datasetId: dataset.id,
        instruction: demo.instruction,
        insecureCode: demo.insecureCode,
        secureCode: demo.secureCode,
        reasonInsecure: demo.reasonInsecure,
        reasonSecure: demo.reasonSecure,
        reasoning,
        cweId: demo.cweId,
        cweTitle: demo.cweTitle,
        entryId: entry.id,
        packageName: demo.packageName,
        source: "demo",
        contentHash,
        revisions: {
          create: {
            revision: 1,
            instruction: demo.instruction,
            insecureCode: demo.insecureCode,
            secureCode: demo.secureCode,
            reasonInsecure: demo.reasonInsecure,
            reasonSecure: demo.reasonSecure,
            reasoning,
            cweId: demo.cweId,
            contentHash,
            editedById: admin.id,
            note: "demo seed",
          },
        },
      },
    });
    pairs++;
  }
  return { users: DEMO_ACCOUNTS.length, entries: DEMO_KNOWLEDGE_BASE.length, packages: DEMO_PACKAGES.length, pairs };
}
