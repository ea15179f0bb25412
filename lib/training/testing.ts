// Test helper: a small frozen dataset version of code pairs, a registered model, and a cleanup that removes exactly
// them and every run made on them (runs first: they restrict deleting versions and models).
import crypto from "node:crypto";
import { getDb } from "../db/client";
import { freezeVersion } from "../datasets/versions/freeze-version";
import { createTestDataset } from "../pairs/test-pairs";

const SNIPPETS = [
  { insecure: "import os\ndef run(cmd):\n    os.system(cmd)\n", secure: "import subprocess\ndef run(cmd):\n    subprocess.run(cmd.split(), check=True)\n", cwe: "CWE-78" },
  { insecure: "def load(x):\n    return eval(x)\n", secure: "import ast\ndef load(x):\n    return ast.literal_eval(x)\n", cwe: "CWE-95" },
  { insecure: "import pickle\ndef read(b):\n    return pickle.loads(b)\n", secure: "import json\ndef read(b):\n    return json.loads(b)\n", cwe: "CWE-502" },
  { insecure: "def q(c, n):\n    c.execute('SELECT * FROM t WHERE n=' + n)\n", secure: "def q(c, n):\n    c.execute('SELECT * FROM t WHERE n=?', (n,))\n", cwe: "CWE-89" },
];

export async function createTrainingFixture(options: { pairs?: number; modelPath?: string; tokenizerId?: string; split?: { train: number; val: number; test: number } } = {}) {
  const db = getDb();
  const tag = crypto.randomBytes(4).toString("hex");
  const dataset = await createTestDataset(`train-test-${tag}`);
  const count = options.pairs ?? 8;
  for (let i = 0; i < count; i++) {
    const snippet = SNIPPETS[i % SNIPPETS.length]!;
    await dataset.pair({ instruction: `Write a helper number ${i} (${tag}).`, insecureCode: snippet.insecure.replace("run", `run${i}`), secureCode: snippet.secure.replace("run", `run${i}`), cweId: snippet.cwe, status: "ACCEPTED" });
  }
  const version = await freezeVersion(db, { datasetId: dataset.id, name: `v-${tag}`, split: { ...(options.split ?? { train: 0.75, val: 0.25, test: 0 }), seed: 1 }, createdById: null });
  const model = await db.registeredModel.create({
    data: { name: `test-model-${tag}`, architecture: "llama", path: options.modelPath ?? `/nonexistent/${tag}`, tokenizerId: options.tokenizerId ?? "cl100k_base" },
  });
  return {
    tag,
    datasetId: dataset.id,
    versionId: version.id,
    version,
    modelId: model.id,
    async cleanup() {
      const runs = await db.run.findMany({ where: { OR: [{ datasetVersionId: version.id }, { baseModelId: model.id }] }, select: { id: true }, orderBy: { createdAt: "desc" } });
      // Children (SFT -> LPO) first: a run's parent is restricted while it has children.
      for (const run of runs) await db.run.updateMany({ where: { parentRunId: run.id }, data: { parentRunId: null } });
      await db.auditLog.deleteMany({ where: { entityId: { in: runs.map((run) => run.id) } } });
      await db.run.deleteMany({ where: { id: { in: runs.map((run) => run.id) } } });
      await db.registeredModel.delete({ where: { id: model.id } });
      await db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('disco.allow_version_delete', 'on', true)`;
        await tx.datasetVersionItem.deleteMany({ where: { versionId: version.id } });
        await tx.auditLog.deleteMany({ where: { entityId: { in: [version.id, dataset.id] } } });
        await tx.datasetVersion.delete({ where: { id: version.id } });
      });
      await dataset.remove();
    },
  };
}
