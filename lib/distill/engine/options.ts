// What the launch form offers. Providers are listed without their keys (the key never leaves the server).
import type { Db } from "../../db/client";
import { DEFAULT_PRICES } from "../../llm/pricing";
import { ensureDefaultTemplates } from "../templates";

export async function launchOptions(db: Db) {
  await ensureDefaultTemplates(db);
  const [providers, datasets, templates, cwes, sources, packages] = await Promise.all([
    db.llmProvider.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, baseUrl: true } }),
    db.dataset.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
    db.promptTemplate.findMany({ orderBy: [{ name: "asc" }, { version: "desc" }], select: { id: true, name: true, kind: true, version: true } }),
    db.knowledgeEntry.groupBy({ by: ["cweId"], _count: { _all: true } }),
    db.knowledgeEntry.groupBy({ by: ["source"], _count: { _all: true } }),
    db.package.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
  ]);
  const cweNumber = (cwe: string) => Number(/(\d+)/.exec(cwe)?.[1] ?? 0);
  return {
    providers,
    datasets,
    templates,
    cwes: cwes.map((row) => ({ cweId: row.cweId, entries: row._count._all })).sort((a, b) => cweNumber(a.cweId) - cweNumber(b.cweId)),
    sources: sources.map((row) => ({ source: row.source, entries: row._count._all })),
    packages,
    prices: Object.entries(DEFAULT_PRICES).map(([model, price]) => ({ model, inputUsdPerMTok: price.inputPerMTok, outputUsdPerMTok: price.outputPerMTok })),
  };
}
