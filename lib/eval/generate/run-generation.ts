// The `eval.generate` job: generates an evaluation's samples and then scores them (lib/eval/score-evaluation.ts).
// - Local models (a run's checkpoint, or a registered base model) are loaded through the trainer as the run was
//   trained: the base model's weights, the parent run's final adapter merged (SFT -> LPO), then the checkpoint's
//   adapter merged; sampling uses the KV cache with the evaluation's seeded temperature/top-p/top-k and stops at the
//   text boundary extraction reads to (stops.ts) or at EOS.
// - Frontier models are asked through their OpenAI-compatible provider, one chat completion per sample.
// Every item's n samples are written together; a restarted job (worker died, retry) skips items that already have
// them, so it continues rather than starting over, and the unique (evaluation, item, sample) key makes a duplicate
// write a no-op. Each item's seed is derived from the evaluation's seed and the item's id, so a restart generates
// the same text it would have. The job stops between items when the evaluation is cancelled.
// This module loads TensorFlow.js (workers only).
import type { Db } from "../../db/client";
import type { JobContext } from "../../jobs/handlers";
import { createLlmClient, type TLlmClientOptions } from "../../llm/client";
import { providerCredentials } from "../../llm/providers";
import { loadTokenizer } from "../../tokenizers/registry";
import { eosTokenIdOf, initBackend, loadAdapter, loadCausalLM, mergeLora, detachLora } from "../../../trainer/src/index";
import { readModelConfig } from "../../../trainer/src/models/load";
import type { ICausalLM } from "../../../trainer/src/models/types";
import { hashString } from "../../../trainer/src/nn/random";
import { extractCode } from "../extract";
import { buildPrompt, type TBuiltPrompt } from "../prompts";
import { scoreEvaluation, type TScoreContext } from "../score-evaluation";
import type { TEvaluationSummary } from "../summary";
import { ZDecodingSettings, type TDecodingSettings } from "./decoding";
import { ZGenerateEvaluationPayload, type TGenerateEvaluationPayload } from "./payload";
import { sampleWithStops } from "./sample";
import { describeStops, stopRuleFor } from "./stops";

export type TGenerateContext = Partial<Pick<JobContext, "reportProgress" | "isCancelled">> & {
  /** Extra options for the frontier client (tests shorten its waits). */
  llmClientOptions?: Partial<TLlmClientOptions>;
  /** Passed on to the scorer (tests use a shared syntax checker). */
  scoreContext?: Omit<TScoreContext, "reportProgress" | "isCancelled">;
  /** Tests stop after generating to look at a half-done evaluation. */
  skipScoring?: boolean;
  /** Tests: stop after this many items, as a worker dying mid-way would. */
  stopAfterItems?: number;
};

export type TGenerateResult = {
  evaluationId: string;
  status: string;
  items: number;
  generatedItems: number;
  skippedItems: number;
  summary?: TEvaluationSummary;
  skipped?: string;
};

type TGenerator = {
  backend: string;
  generate(prompt: TBuiltPrompt, n: number, seed: number): Promise<string[]>;
  close(): void;
};

/**
 * PostgreSQL text cannot hold NUL, and a small or untrained model can sample the byte-level token for it: NUL becomes
 * U+FFFD (the replacement character) before the text is stored and extracted, so the row shows where it was.
 */
export function storableText(text: string): string {
  return text.includes("\u0000") ? text.replace(/\u0000/g, "\uFFFD") : text;
}

/** An item's seed: stable across restarts and independent of which items came before it. */
export function itemSeed(evaluationSeed: number, externalId: string): number {
  return (evaluationSeed ^ hashString(externalId)) >>> 0;
}

const EVALUATION_INCLUDE = {
  benchmark: true,
  model: true,
  checkpoint: true,
  run: { include: { baseModel: true, parentRun: { include: { checkpoints: { where: { isFinal: true }, orderBy: { step: "desc" as const }, take: 1 } } } } },
} as const;

type TEvaluationRow = NonNullable<Awaited<ReturnType<typeof loadEvaluation>>>;

function loadEvaluation(db: Db, id: string) {
  return db.evaluation.findUnique({ where: { id }, include: EVALUATION_INCLUDE });
}

/** The model directories to load, in order: base, then adapters to merge (parent run's final, then the checkpoint). */
export function modelLineage(evaluation: TEvaluationRow): { baseDir: string; tokenizerId: string; adapters: string[] } {
  if (evaluation.run) {
    const run = evaluation.run;
    if (!run.baseModel) throw new Error(`run "${run.name}" has no base model`);
    if (!evaluation.checkpoint) throw new Error(`the evaluation of run "${run.name}" names no checkpoint`);
    const adapters: string[] = [];
    if (run.parentRun) {
      const parentFinal = run.parentRun.checkpoints[0];
      if (!parentFinal) throw new Error(`parent run "${run.parentRun.name}" has no final checkpoint`);
      adapters.push(parentFinal.path);
    }
    adapters.push(evaluation.checkpoint.path);
    return { baseDir: run.baseModel.path, tokenizerId: run.baseModel.tokenizerId, adapters };
  }
  if (evaluation.model) return { baseDir: evaluation.model.path, tokenizerId: evaluation.model.tokenizerId, adapters: [] };
  throw new Error("the evaluation names no run or model to load");
}

async function openLocalGenerator(evaluation: TEvaluationRow, decoding: TDecodingSettings): Promise<TGenerator> {
  const lineage = modelLineage(evaluation);
  const backend = await initBackend();
  const model: ICausalLM = loadCausalLM(lineage.baseDir);
  try {
    for (const dir of lineage.adapters) {
      loadAdapter(dir, model);
      mergeLora(model);
    }
  } catch (error) {
    detachLora(model);
    model.dispose();
    throw error;
  }
  const tokenizer = await loadTokenizer(lineage.tokenizerId);
  const eos = eosTokenIdOf(readModelConfig(lineage.baseDir));
  return {
    backend,
    async generate(prompt, n, seed) {
      if (prompt.style === "frontier") throw new Error("a local model cannot answer a chat prompt");
      let ids = tokenizer.encodeIds(prompt.text);
      // A prompt longer than the context keeps its end (where the task is posed), leaving room for the answer.
      const room = model.maxPositions - Math.min(decoding.maxNewTokens, Math.floor(model.maxPositions / 2));
      if (ids.length > room) ids = ids.slice(ids.length - room);
      const samples = sampleWithStops(
        model,
        ids,
        {
          maxNewTokens: decoding.maxNewTokens,
          temperature: decoding.temperature,
          topP: decoding.topP ?? 1,
          topK: decoding.topK ?? 0,
          seed,
          n,
          stopTokenIds: eos === undefined ? [] : [eos],
        },
        (tokens) => tokenizer.decode(tokens),
        stopRuleFor(prompt.extraction),
      );
      // Let the event loop breathe between items (progress writes, cancellation polls).
      await new Promise((resolve) => setImmediate(resolve));
      return samples.map((sample) => sample.text);
    },
    close() {
      detachLora(model);
      model.dispose();
    },
  };
}

async function openFrontierGenerator(db: Db, evaluation: TEvaluationRow, decoding: TDecodingSettings, options: Partial<TLlmClientOptions>): Promise<TGenerator> {
  if (!evaluation.frontierModel) throw new Error("the evaluation names no frontier model");
  if (!decoding.providerId) throw new Error("the frontier evaluation names no provider (decoding.providerId)");
  const credentials = await providerCredentials(db, decoding.providerId);
  const client = createLlmClient({ baseUrl: credentials.baseUrl, apiKey: credentials.apiKey, concurrency: 4, ...options });
  const model = evaluation.frontierModel;
  return {
    backend: "api",
    async generate(prompt, n) {
      if (prompt.style !== "frontier") throw new Error("a frontier model needs a chat prompt");
      const answers = await Promise.all(
        Array.from({ length: n }, () => client.chat({ model, messages: prompt.messages, temperature: decoding.temperature, maxTokens: decoding.maxNewTokens })),
      );
      return answers.map((answer) => answer.text);
    },
    close() {},
  };
}

export async function runGenerateEvaluation(db: Db, payloadInput: TGenerateEvaluationPayload, context: TGenerateContext = {}): Promise<TGenerateResult> {
  const payload = ZGenerateEvaluationPayload.parse(payloadInput);
  const evaluation = await loadEvaluation(db, payload.evaluationId);
  if (!evaluation) throw new Error(`no evaluation with id ${payload.evaluationId}`);
  const base = { evaluationId: evaluation.id, items: 0, generatedItems: 0, skippedItems: 0 };
  if (evaluation.status === "CANCELLED" || evaluation.status === "SUCCEEDED") {
    return { ...base, status: evaluation.status, skipped: `the evaluation is already ${evaluation.status.toLowerCase()}` };
  }
  const parsedDecoding = ZDecodingSettings.safeParse(evaluation.decoding);
  if (!parsedDecoding.success) {
    const message = `the evaluation's decoding settings are invalid: ${parsedDecoding.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`;
    await db.evaluation.update({ where: { id: evaluation.id }, data: { status: "FAILED", error: message, finishedAt: new Date() } });
    throw new Error(message);
  }
  const decoding = parsedDecoding.data;
  const n = evaluation.samplesPerItem;

  const items = await db.benchmarkItem.findMany({
    where: { benchmarkId: evaluation.benchmarkId },
    orderBy: { externalId: "asc" },
    ...(decoding.limit ? { take: decoding.limit } : {}),
    select: { id: true, externalId: true, promptKind: true, prompt: true, entryPoint: true },
  });
  const counts = await db.generation.groupBy({ by: ["itemId"], where: { evaluationId: evaluation.id }, _count: { _all: true } });
  const done = new Map(counts.map((row) => [row.itemId, row._count._all]));
  const pending = items.filter((item) => (done.get(item.id) ?? 0) < n);
  const result: TGenerateResult = { ...base, status: "RUNNING", items: items.length, skippedItems: items.length - pending.length };

  await db.evaluation.update({ where: { id: evaluation.id }, data: { status: "RUNNING", error: null, finishedAt: null } });
  const isStopped = async () => {
    if (await context.isCancelled?.()) return true;
    const row = await db.evaluation.findUnique({ where: { id: evaluation.id }, select: { status: true } });
    return row?.status === "CANCELLED";
  };

  let generator: TGenerator | null = null;
  try {
    const total = items.length * n;
    let written = (items.length - pending.length) * n;
    await context.reportProgress?.(written, total, pending.length < items.length ? `continuing: ${items.length - pending.length} of ${items.length} items already generated` : "loading the model");
    if (pending.length > 0) {
      generator = evaluation.frontierModel
        ? await openFrontierGenerator(db, evaluation, decoding, context.llmClientOptions ?? {})
        : await openLocalGenerator(evaluation, decoding);
      // The settings as used: the backend, and the stop sequences of this prompt style.
      const stop = describeStops(buildPrompt(items[0]!, decoding.promptStyle, { preamble: decoding.promptPreamble }).extraction);
      await db.evaluation.update({ where: { id: evaluation.id }, data: { decoding: { ...decoding, backend: generator.backend, stop } } });
    }
    for (const item of pending) {
      if (await isStopped()) {
        await db.evaluation.update({ where: { id: evaluation.id }, data: { status: "CANCELLED", finishedAt: new Date() } });
        return { ...result, status: "CANCELLED" };
      }
      if (context.stopAfterItems !== undefined && result.generatedItems >= context.stopAfterItems) return { ...result, status: "RUNNING" };
      const prompt = buildPrompt(item, decoding.promptStyle, { preamble: decoding.promptPreamble });
      const texts = await generator!.generate(prompt, n, itemSeed(decoding.seed, item.externalId));
      await db.generation.createMany({
        data: texts.map(storableText).map((rawText, sampleIndex) => {
          const extraction = extractCode(rawText, prompt.extraction);
          return { evaluationId: evaluation.id, itemId: item.id, sampleIndex, rawText, extractedCode: extraction.code, parseError: extraction.error };
        }),
        skipDuplicates: true,
      });
      result.generatedItems += 1;
      written += n;
      await context.reportProgress?.(written, total, `generated ${item.externalId}`);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db.evaluation.update({ where: { id: evaluation.id }, data: { status: "FAILED", error: `generation: ${message}` } }).catch(() => {});
    throw error;
  } finally {
    generator?.close();
  }

  if (context.skipScoring) return { ...result, status: "RUNNING" };
  if (await isStopped()) {
    await db.evaluation.update({ where: { id: evaluation.id }, data: { status: "CANCELLED", finishedAt: new Date() } });
    return { ...result, status: "CANCELLED" };
  }
  const summary = await scoreEvaluation(db, { evaluationId: evaluation.id, codeql: payload.codeql }, { ...context.scoreContext, reportProgress: context.reportProgress, isCancelled: context.isCancelled });
  return { ...result, status: "SUCCEEDED", summary };
}
