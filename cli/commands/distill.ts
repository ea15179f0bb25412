// disco distill --kb <source|file> --n 200 --model gpt-4o --base-url http://... [--api-key-env OPENAI_API_KEY] --rounds 1 --budget 20
//              [--concurrency 4] [--dataset name] [--wait] [--json]
// The same launch as the /distill/new form. --wait runs a distill worker in this process and follows the job to its end.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { getDb, type Db } from "../../lib/db/client";
import { KNOWLEDGE_SOURCES, ZLaunchInput } from "../../lib/distill/engine/config";
import { launchDistillation, LaunchError, previewDistillation } from "../../lib/distill/engine/launch";
import { getDistillProgress, type TDistillProgress } from "../../lib/distill/engine/progress";
import { startWorker } from "../../lib/jobs/worker";
import { importKnowledgeFile } from "../../lib/knowledge/import-kb";
import { parseKnowledgeFile } from "../../lib/knowledge/parse-kb";
import { createProvider, updateProvider } from "../../lib/llm/providers";
import { CliError, parseInput, printResult } from "../output";
import { withDatabase } from "../with-database";

type DistillOptions = {
  kb: string;
  n: string;
  model: string;
  baseUrl: string;
  apiKeyEnv?: string;
  rounds: string;
  budget: string;
  concurrency: string;
  dataset?: string;
  temperature: string;
  maxTokens: string;
  complexShare: string;
  seed: string;
  cwe?: string;
  priceIn?: string;
  priceOut?: string;
  stripComments: boolean;
  codeql: boolean;
  preview?: boolean;
  wait?: boolean;
  json?: boolean;
};

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED", "PAUSED"]);

function number(name: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value)) throw new CliError(`--${name} must be a number, got "${raw}"`);
  return value;
}

/** The provider for a base URL (and key): reused when one with the same name exists, its key updated when given. */
async function cliProvider(db: Db, baseUrl: string, apiKey: string | null): Promise<string> {
  const name = `cli-${crypto.createHash("sha256").update(baseUrl).digest("hex").slice(0, 10)}`;
  const existing = await db.llmProvider.findUnique({ where: { name }, select: { id: true } });
  if (existing) {
    if (apiKey) await updateProvider(db, existing.id, { apiKey }, null);
    return existing.id;
  }
  const created = await createProvider(db, { name, baseUrl, ...(apiKey ? { apiKey } : {}) }, null);
  return created.id;
}

/**
 * --kb: a knowledge source (cwe, codeql, bandit, custom, all), or a knowledge-base file: imported first (idempotent),
 * then exactly its entries are selected.
 */
async function kbSelection(db: Db, kb: string): Promise<{ sources?: (typeof KNOWLEDGE_SOURCES)[number][]; entryIds?: string[] }> {
  const upper = kb.toUpperCase();
  if (upper === "ALL") return {};
  if ((KNOWLEDGE_SOURCES as readonly string[]).includes(upper)) return { sources: [upper as (typeof KNOWLEDGE_SOURCES)[number]] };
  if (!fs.existsSync(kb)) throw new CliError(`--kb must be one of all, ${KNOWLEDGE_SOURCES.map((s) => s.toLowerCase()).join(", ")} or a knowledge-base file; "${kb}" is neither`);
  const parsed = parseKnowledgeFile(fs.readFileSync(kb, "utf8"), { fileName: path.basename(kb) });
  const report = await importKnowledgeFile(db, kb);
  const keys = new Set(parsed.rows.map((row) => `${row.entry.cweId}\u0000${row.entry.title}`));
  const entries = await db.knowledgeEntry.findMany({
    where: { source: report.source, cweId: { in: [...new Set(parsed.rows.map((row) => row.entry.cweId))] } },
    select: { id: true, cweId: true, title: true },
  });
  const entryIds = entries.filter((entry) => keys.has(`${entry.cweId}\u0000${entry.title}`)).map((entry) => entry.id);
  if (entryIds.length === 0) throw new CliError(`${kb} holds no usable knowledge-base entries (${report.invalidCount} invalid rows)`, 1);
  return { entryIds };
}

function summary(p: TDistillProgress): string {
  const rounds = p.flaggedByRound.map((r) => `round ${r.round}: ${r.flagged}/${r.analyzed} flagged`).join(", ");
  return [
    `job ${p.id} ${p.status.toLowerCase()}${p.error ? ` (${p.error})` : ""}`,
    `  prompts ${p.counts.planned}: ${p.counts.sent} sent, ${p.counts.parsed} parsed, ${p.counts.failed} failed, ${p.counts.skipped} duplicates; ${p.counts.pairs} pairs in ${p.datasetName}`,
    `  spent $${p.spentUsd.toFixed(4)}${p.budgetUsd !== null ? ` of $${p.budgetUsd.toFixed(2)}` : ""}; ${p.attempts.total} requests`,
    `  ${rounds}`,
  ].join("\n");
}

export function registerDistillCommand(program: Command): void {
  program
    .command("distill")
    .description("distill insecure/secure pairs from a knowledge base with an OpenAI-compatible model (the /distill/new form)")
    .requiredOption("--kb <source|file>", `knowledge base: all, ${KNOWLEDGE_SOURCES.map((s) => s.toLowerCase()).join(", ")}, or a CSV file to import first`)
    .requiredOption("--n <count>", "number of prompts")
    .requiredOption("--model <id>", "model id, e.g. gpt-4o-2024-08-06")
    .requiredOption("--base-url <url>", "OpenAI-compatible endpoint, e.g. https://api.openai.com/v1")
    .option("--api-key-env <name>", "environment variable holding the API key (stored encrypted with the provider)")
    .option("--rounds <k>", "refinement rounds 0-3", "1")
    .option("--budget <usd>", "budget cap in USD", "20")
    .option("--concurrency <k>", "requests in flight", "4")
    .option("--dataset <name>", "target dataset (created if missing)")
    .option("--temperature <t>", "sampling temperature (the paper: 0.01)", "0.01")
    .option("--max-tokens <k>", "completion token limit", "2048")
    .option("--complex-share <f>", "share of (issue x package) prompts", "0.5")
    .option("--seed <s>", "sampling seed", "42")
    .option("--cwe <list>", "only these CWEs (comma-separated)")
    .option("--price-in <usd>", "input price, USD per 1M tokens (default: list price)")
    .option("--price-out <usd>", "output price, USD per 1M tokens (default: list price)")
    .option("--no-strip-comments", "keep comments in the code")
    .option("--no-codeql", "Bandit only")
    .option("--preview", "print the planned coverage and cost estimate; launch nothing")
    .option("--wait", "run a distill worker here and follow the job until it ends")
    .option("--json", "print JSON")
    .action(async (options: DistillOptions) => {
      const apiKey = options.apiKeyEnv ? (process.env[options.apiKeyEnv] ?? null) : null;
      if (options.apiKeyEnv && !apiKey) throw new CliError(`--api-key-env ${options.apiKeyEnv}: that environment variable is not set`);
      const priceGiven = options.priceIn !== undefined || options.priceOut !== undefined;
      const base = {
        model: options.model,
        n: number("n", options.n),
        rounds: number("rounds", options.rounds),
        budgetUsd: number("budget", options.budget),
        concurrency: number("concurrency", options.concurrency),
        temperature: number("temperature", options.temperature),
        maxTokens: number("max-tokens", options.maxTokens),
        complexShare: number("complex-share", options.complexShare),
        seed: number("seed", options.seed),
        stripComments: options.stripComments,
        useCodeql: options.codeql,
        ...(priceGiven ? { price: { inputUsdPerMTok: number("price-in", options.priceIn ?? "0"), outputUsdPerMTok: number("price-out", options.priceOut ?? "0") } } : {}),
      };
      // Validate everything that needs no database first, so a typo fails fast with exit 2.
      parseInput(() => ZLaunchInput.parse({ ...base, providerId: crypto.randomUUID(), dataset: { name: "x" } }));
      try {
        new URL(options.baseUrl);
      } catch {
        throw new CliError(`--base-url must be a URL, got "${options.baseUrl}"`);
      }
      await withDatabase(async () => {
        const db = getDb();
        const selection = await kbSelection(db, options.kb);
        const providerId = await cliProvider(db, options.baseUrl, apiKey);
        const input = {
          ...base,
          providerId,
          entries: { ...(selection.sources ? { sources: selection.sources } : {}), ...(selection.entryIds ? { entryIds: selection.entryIds } : {}), ...(options.cwe ? { cweIds: options.cwe.split(",").map((c) => c.trim()).filter(Boolean) } : {}) },
          dataset: { name: options.dataset ?? `distilled-${options.model}` },
        };
        try {
          if (options.preview) {
            const preview = await previewDistillation(db, input);
            printResult(options, preview, () =>
              [
                `${preview.planned} prompts (${preview.simple} simple, ${preview.complex} complex) covering ${preview.coverage.cwesCovered} of ${preview.coverage.cwesSelected} CWEs`,
                `estimated $${preview.estimate.expectedUsd.toFixed(2)} (worst case $${preview.estimate.worstCaseUsd.toFixed(2)}); ${preview.estimate.assumptions}`,
              ].join("\n"),
            );
            return;
          }
          const launched = await launchDistillation(db, input);
          if (!options.wait) {
            printResult(options, { jobId: launched.jobId, planned: launched.planned, coverage: launched.coverage }, () =>
              `launched distillation ${launched.jobId}: ${launched.planned} prompts over ${launched.coverage.cwesCovered} CWEs; a worker on the distill queue runs it (npm run worker -- --queues distill)`,
            );
            return;
          }
          const worker = await startWorker(db, { queues: ["distill"], log: () => {}, pollingIntervalSeconds: 1 });
          try {
            let last = "";
            for (;;) {
              const progress = (await getDistillProgress(db, launched.jobId))!;
              const line = `${progress.status.toLowerCase()}: ${progress.counts.done}/${progress.counts.planned} done, ${progress.counts.pairs} pairs, $${progress.spentUsd.toFixed(4)} spent`;
              if (!options.json && line !== last) process.stderr.write(line + "\n");
              last = line;
              if (TERMINAL.has(progress.status)) {
                printResult(options, progress, () => summary(progress));
                if (progress.status === "FAILED" || progress.status === "CANCELLED") process.exitCode = 1;
                return;
              }
              await new Promise((resolve) => setTimeout(resolve, 1000));
            }
          } finally {
            await worker.stop();
          }
        } catch (error) {
          if (error instanceof LaunchError) throw new CliError(error.message, 1);
          throw error;
        }
      });
    });
}
