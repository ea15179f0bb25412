// The eval.generate job end to end on the real database with the built-in tiny model (real tfjs computation on
// wasm/cpu), real Bandit and the real sandbox: n generations per item, a restarted job continuing without
// duplicates or changes, SUCCEEDED with a summary; a run's checkpoint adapter really applied; launch validation; a
// frontier model answered by the in-process fake OpenAI server.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { createProvider } from "../../llm/providers";
import { startFakeOpenAI, type TFakeOpenAI } from "../../testing/fake-openai-server";
import { resolveConfig } from "../../training/config-overrides";
import { generateSamples } from "../../../trainer/src/generate";
import { attachLora, detachLora } from "../../../trainer/src/lora/attach";
import { saveAdapter } from "../../../trainer/src/lora/peft";
import { loadCausalLM } from "../../../trainer/src/models/load";
import { ensureTinyModel } from "../../../trainer/src/models/tiny";
import { initBackend, tf } from "../../../trainer/src/tf";
import { loadTokenizer } from "../../tokenizers/registry";
import { createEvaluation, EvaluationLaunchError } from "../launch";
import { FRONTIER_SYSTEM_PROMPT } from "../prompts";
import { DEMO_SECURITY_ITEMS, DEMO_UTILITY_ITEMS } from "./demo-benchmarks";
import { itemSeed, runGenerateEvaluation, storableText } from "./run-generation";
import { sampleWithStops } from "./sample";
import { stopRuleFor } from "./stops";

process.env.DISCO_SECRET_KEY ??= crypto.randomBytes(32).toString("hex");
const db = getDb();
const tag = crypto.randomBytes(4).toString("hex");
const modelDir = ensureTinyModel(path.join(os.tmpdir(), "disco-tiny-model-test"));
const adapterDir = fs.mkdtempSync(path.join(os.tmpdir(), "disco-eval-adapter-"));

let modelId: string;
let runId: string;
let checkpointId: string;
let securityId: string;
let utilityId: string;
let server: TFakeOpenAI | null = null;

async function makeBenchmark(name: string, kind: "SECURITY" | "UTILITY", items: typeof DEMO_SECURITY_ITEMS) {
  const benchmark = await db.benchmark.create({
    data: { name: `${name}-${tag}`, kind, format: "demo", sourceHash: crypto.createHash("sha256").update(name + tag).digest("hex"), items: { create: items } },
  });
  return benchmark.id;
}

beforeAll(async () => {
  await initBackend();
  const model = await db.registeredModel.create({ data: { name: `eval-tiny-${tag}`, architecture: "llama", path: modelDir, tokenizerId: `hf:${modelDir}` } });
  modelId = model.id;
  // A real PEFT adapter on the tiny model, with non-zero B so that merging it changes what the model says.
  const lm = loadCausalLM(modelDir);
  const lora = { r: 4, alpha: 8, dropout: 0, targetModules: "all-linear" as const };
  for (const weights of attachLora(lm, lora, 7).values()) weights.b.assign(tf.randomNormal(weights.b.shape, 0, 0.5, "float32", 11));
  saveAdapter(adapterDir, lm, lora, modelDir);
  detachLora(lm);
  lm.dispose();
  const config = resolveConfig("lpo", { includeReasoning: false });
  const run = await db.run.create({ data: { name: `eval-run-${tag}`, method: "LPO", preset: "lpo", config: config as object, status: "SUCCEEDED", baseModelId: model.id, finishedAt: new Date() } });
  runId = run.id;
  checkpointId = (await db.checkpoint.create({ data: { runId: run.id, step: 4, path: adapterDir, isFinal: true } })).id;
  securityId = await makeBenchmark("gen-sec", "SECURITY", DEMO_SECURITY_ITEMS);
  utilityId = await makeBenchmark("gen-util", "UTILITY", DEMO_UTILITY_ITEMS.slice(0, 2));
}, 120_000);

afterAll(async () => {
  await server?.close();
  const benchmarks = await db.benchmark.findMany({ where: { name: { endsWith: tag } }, select: { id: true } });
  await db.evaluation.deleteMany({ where: { benchmarkId: { in: benchmarks.map((b) => b.id) } } });
  await db.benchmark.deleteMany({ where: { id: { in: benchmarks.map((b) => b.id) } } });
  if (runId) await db.run.delete({ where: { id: runId } });
  if (modelId) await db.registeredModel.delete({ where: { id: modelId } });
  await db.llmProvider.deleteMany({ where: { name: `fake-eval-${tag}` } });
  fs.rmSync(adapterDir, { recursive: true, force: true });
});

describe("sampleWithStops", () => {
  it("gives exactly the trainer's tokens without stops, and cuts each sample at its stop rule", async () => {
    const lm = loadCausalLM(modelDir);
    const tokenizer = await loadTokenizer(`hf:${modelDir}`);
    try {
      const prompt = tokenizer.encodeIds("def add(a, b):\n");
      const options = { maxNewTokens: 12, temperature: 0.8, topP: 0.95, topK: 50, seed: 5, n: 3 };
      const reference = generateSamples(lm, prompt, options);
      const ours = sampleWithStops(lm, prompt, options, (ids) => tokenizer.decode(ids), null);
      expect(ours.map((s) => s.text)).toEqual(reference.map((s) => tokenizer.decode(s.tokenIds)));
      // A stop rule that ends every sample after its third character: the text is cut there, finish reason says why.
      const cut = sampleWithStops(lm, prompt, options, (ids) => tokenizer.decode(ids), (text) => (text.length >= 3 ? 3 : null));
      for (const [k, sample] of cut.entries()) {
        expect(sample.finishReason).toBe("stop-sequence");
        expect(sample.text).toBe(tokenizer.decode(reference[k]!.tokenIds).slice(0, 3));
      }
    } finally {
      lm.dispose();
    }
  });

  it("stop rules end where extraction reads to", () => {
    expect(stopRuleFor({ mode: "fenced" })("thought\n```python\nx = 1\n```\nmore")).toBe("thought\n```python\nx = 1\n```".length);
    expect(stopRuleFor({ mode: "fenced" })("thought\n```python\nx = 1\n")).toBeNull();
    expect(stopRuleFor({ mode: "open-fence" })("\nx = 1\n```\ntail")).toBe("\nx = 1\n```".length);
    const completion = stopRuleFor({ mode: "completion", codePrefix: "def f(x):\n" });
    expect(completion("    return x\n")).toBeNull();
    expect(completion("    return x\ndef g")).toBe("    return x".length);
  });
});

describe("eval.generate", () => {
  it("generates n samples per item for a base model, continues a stopped job without duplicates, then scores", async () => {
    const { evaluation } = await createEvaluation(db, { modelId, benchmarkId: utilityId, samples: 3, maxNewTokens: 24 }, { createdById: null });
    expect(evaluation.decoding).toMatchObject({ promptStyle: "completion", temperature: 0.6, topP: 0.95, topK: 50, n: 3, limit: null });

    // First attempt dies after one item (as a killed worker would).
    const first = await runGenerateEvaluation(db, { evaluationId: evaluation.id, codeql: false }, { stopAfterItems: 1, skipScoring: true });
    expect(first.generatedItems).toBe(1);
    const before = await db.generation.findMany({ where: { evaluationId: evaluation.id }, orderBy: { sampleIndex: "asc" } });
    expect(before).toHaveLength(3);

    const progress: number[] = [];
    const second = await runGenerateEvaluation(db, { evaluationId: evaluation.id, codeql: false }, { reportProgress: async (done) => void progress.push(done) });
    expect(second).toMatchObject({ status: "SUCCEEDED", items: 2, skippedItems: 1, generatedItems: 1 });
    expect(progress[0]).toBe(3);
    const after = await db.generation.findMany({ where: { evaluationId: evaluation.id }, include: { item: true, scores: true } });
    expect(after).toHaveLength(6);
    // The first item's rows are the same rows with the same text.
    for (const row of before) expect(after.find((g) => g.id === row.id)?.rawText).toBe(row.rawText);
    const perItem = new Map<string, number[]>();
    for (const g of after) perItem.set(g.itemId, [...(perItem.get(g.itemId) ?? []), g.sampleIndex].sort());
    expect([...perItem.values()]).toEqual([[0, 1, 2], [0, 1, 2]]);
    // Completion prompts: the extraction is the prompt's code plus the continuation, stored next to the raw text.
    for (const g of after) if (g.extractedCode) expect(g.extractedCode.startsWith(g.item.prompt.trimEnd())).toBe(true);
    // Every generation was run against its tests (utility), and the summary is on the evaluation.
    expect(after.every((g) => g.scores.some((s) => s.kind === "UTILITY"))).toBe(true);
    const stored = await db.evaluation.findUniqueOrThrow({ where: { id: evaluation.id } });
    expect(stored.status).toBe("SUCCEEDED");
    expect(stored.summary).toMatchObject({ generations: 6, items: 2 });
    expect((stored.summary as { "pass@1": number })["pass@1"]).toBeTypeOf("number");
    expect(stored.decoding).toMatchObject({ stop: expect.arrayContaining(["EOS"]), backend: expect.any(String) });

    // The seed of an item depends on the evaluation's seed and the item only: regenerating gives the same text.
    const again = await runGenerateEvaluation(db, { evaluationId: evaluation.id }, {});
    expect(again.skipped).toMatch(/already succeeded/);
    expect(itemSeed(0, "demo-add")).toBe(itemSeed(0, "demo-add"));
    expect(itemSeed(0, "demo-add")).not.toBe(itemSeed(1, "demo-add"));
  }, 300_000);

  it("stores text with NUL bytes (a byte-level model can sample them; PostgreSQL text cannot hold them)", async () => {
    expect(storableText("a\u0000b\u0000")).toBe("a\uFFFDb\uFFFD");
    expect(storableText("plain")).toBe("plain");
    const item = await db.benchmarkItem.findFirstOrThrow({ where: { benchmarkId: utilityId } });
    const { evaluation } = await createEvaluation(db, { modelId, benchmarkId: utilityId, samples: 1, maxNewTokens: 4 }, { createdById: null });
    const row = await db.generation.create({ data: { evaluationId: evaluation.id, itemId: item.id, sampleIndex: 0, rawText: storableText("x\u0000y") } });
    expect(row.rawText).toBe("x\uFFFDy");
  });

  it("evaluates a run's checkpoint with its adapter merged, on a security benchmark with a limit", async () => {
    const { evaluation } = await createEvaluation(db, { runId, benchmarkId: securityId, samples: 2, maxNewTokens: 16, limit: 2 }, { createdById: null });
    // includeReasoning is off for this run: the Response format; the checkpoint defaults to the final one.
    expect(evaluation.checkpointId).toBe(checkpointId);
    expect(evaluation.decoding).toMatchObject({ promptStyle: "response", temperature: 0.4, limit: 2 });
    const result = await runGenerateEvaluation(db, { evaluationId: evaluation.id, codeql: false });
    expect(result).toMatchObject({ status: "SUCCEEDED", items: 2, generatedItems: 2 });
    const stored = await db.evaluation.findUniqueOrThrow({ where: { id: evaluation.id } });
    expect(stored.summary).toMatchObject({ generations: 4, items: 2 });
    // The analyzers that ran are recorded (Bandit runs only when some generation parses; python always does).
    expect((stored.analyzerVersions as Record<string, string>).python).toBeTruthy();

    // The base model, same prompt style (the items are completions, a base model continues them; compare on the
    // instruction item instead, where both use the Response format) and same seed: the adapter changes the text.
    const runInstruction = await createEvaluation(db, { runId, benchmarkId: securityId, samples: 2, maxNewTokens: 16 }, { createdById: null });
    const baseInstruction = await createEvaluation(db, { modelId, benchmarkId: securityId, samples: 2, maxNewTokens: 16 }, { createdById: null });
    await runGenerateEvaluation(db, { evaluationId: runInstruction.evaluation.id, codeql: false }, { skipScoring: true });
    await runGenerateEvaluation(db, { evaluationId: baseInstruction.evaluation.id, codeql: false }, { skipScoring: true });
    const textOf = async (evaluationId: string) =>
      (await db.generation.findMany({ where: { evaluationId, item: { promptKind: "INSTRUCTION" } }, orderBy: { sampleIndex: "asc" } })).map((g) => g.rawText);
    const [withAdapter, base] = [await textOf(runInstruction.evaluation.id), await textOf(baseInstruction.evaluation.id)];
    expect(withAdapter).toHaveLength(2);
    expect(withAdapter).not.toEqual(base);
  }, 300_000);

  it("stops between items when the evaluation is cancelled", async () => {
    const { evaluation } = await createEvaluation(db, { modelId, benchmarkId: securityId, samples: 1, maxNewTokens: 8 }, { createdById: null });
    await db.evaluation.update({ where: { id: evaluation.id }, data: { status: "RUNNING" } });
    let calls = 0;
    const result = await runGenerateEvaluation(db, { evaluationId: evaluation.id }, { isCancelled: async () => ++calls > 1 });
    expect(result.status).toBe("CANCELLED");
    expect(await db.generation.count({ where: { evaluationId: evaluation.id } })).toBe(1);
    expect((await db.evaluation.findUniqueOrThrow({ where: { id: evaluation.id } })).status).toBe("CANCELLED");
  }, 120_000);

  it("asks a frontier model through its provider, one chat completion per sample, and scores the answers", async () => {
    server = await startFakeOpenAI({
      apiKey: "sk-eval-test",
      behaviour: (req) => ({ kind: "answer", content: `Here it is:\n\`\`\`python\nimport subprocess\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)  # ${req.index}\n\`\`\`\n` }),
    });
    const provider = await createProvider(db, { name: `fake-eval-${tag}`, baseUrl: server.baseUrl, apiKey: "sk-eval-test" }, null);
    const { evaluation } = await createEvaluation(db, { frontierModel: "gpt-fake", providerId: provider.id, benchmarkId: securityId, samples: 2, maxNewTokens: 200 }, { createdById: null });
    expect(evaluation.decoding).toMatchObject({ promptStyle: "frontier", topP: null, topK: null, providerId: provider.id });
    const result = await runGenerateEvaluation(db, { evaluationId: evaluation.id, codeql: false });
    expect(result.status).toBe("SUCCEEDED");
    expect(server.requests).toHaveLength(4 * 2);
    const body = server.requests[0]!.body as { model: string; temperature: number; messages: { role: string; content: string }[] };
    expect(body.model).toBe("gpt-fake");
    expect(body.temperature).toBe(0.4);
    expect(body.messages[0]).toEqual({ role: "system", content: FRONTIER_SYSTEM_PROMPT });
    const summary = (await db.evaluation.findUniqueOrThrow({ where: { id: evaluation.id } })).summary as { valid: number; insecure: number; InS: number };
    // Every answer runs a shell command: all 8 valid and insecure (B404 + B602 at least).
    expect(summary).toMatchObject({ valid: 8, insecure: 8, InS: 100 });
  }, 180_000);
});

describe("launch validation", () => {
  const issue = async (input: Parameters<typeof createEvaluation>[1]) => {
    try {
      await createEvaluation(db, input, { createdById: null });
    } catch (error) {
      expect(error).toBeInstanceOf(EvaluationLaunchError);
      return { status: (error as EvaluationLaunchError).status, message: (error as Error).message, paths: (error as EvaluationLaunchError).details.map((d) => d.path) };
    }
    throw new Error("expected a launch error");
  };

  it("names the problem", async () => {
    expect(await issue({ benchmarkId: securityId })).toMatchObject({ status: 400, paths: ["subject"], message: expect.stringMatching(/choose a run/) });
    expect(await issue({ runId, modelId, benchmarkId: securityId })).toMatchObject({ status: 400, message: "choose only one of runId, modelId" });
    expect(await issue({ modelId })).toMatchObject({ status: 400, paths: ["benchmarkId"] });
    expect(await issue({ modelId, benchmarkId: crypto.randomUUID() })).toMatchObject({ status: 404, paths: ["benchmarkId"] });
    expect(await issue({ modelId, benchmarkName: "no such benchmark" })).toMatchObject({ status: 404, message: expect.stringMatching(/no benchmark named "no such benchmark"/) });
    expect(await issue({ modelId, benchmarkId: securityId, samples: 0 })).toMatchObject({ status: 400, paths: ["samples"] });
    expect(await issue({ modelId, benchmarkId: securityId, temperature: -1 })).toMatchObject({ status: 400, paths: ["temperature"] });
    expect(await issue({ runId: "not-a-uuid", benchmarkId: securityId })).toMatchObject({ status: 400, paths: ["runId"] });
    expect(await issue({ runId, checkpointId: crypto.randomUUID(), benchmarkId: securityId })).toMatchObject({ status: 400, paths: ["checkpointId"] });
    expect(await issue({ frontierModel: "gpt-x", benchmarkId: securityId })).toMatchObject({ status: 400, paths: ["providerId"] });

    const queued = await db.run.create({ data: { name: `queued-${tag}`, method: "LPO", config: {}, status: "QUEUED", baseModelId: modelId } });
    try {
      expect(await issue({ runId: queued.id, benchmarkId: securityId })).toMatchObject({ status: 400, message: expect.stringMatching(/has not succeeded with a final checkpoint \(status queued\)/) });
    } finally {
      await db.run.delete({ where: { id: queued.id } });
    }
  });
});
