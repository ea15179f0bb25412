// The data pipeline with real parts: the cl100k tokenizer from lib/tokenizers, lib/masks' computeTokenMasks, real DiSCo
// test records when ../shared/data is present, and tfjs (cpu) for the batch -> loss path.
import fs from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { computeTokenMasks } from "../../../lib/masks/token-masks";
import { loadTokenizer } from "../../../lib/tokenizers/registry";
import { getPreset } from "../config";
import { tokenLogProbs } from "../logprobs";
import { computeLoss, disposeLossResult, preferenceSequenceLogps, readStats } from "../losses";
import {
  batchToTensors,
  collatePreferenceBatch,
  collateMicroBatch,
  collateSftBatch,
  exampleCount,
  prepareExamples,
  createRng,
  disposeBatch,
  epochOrder,
  formatPair,
  formatPrompt,
  formatResponse,
  nextMicroBatch,
  oversampleGroups,
  rngFromState,
  splitPreferenceRows,
  tokenizePair,
  tokenizeSft,
  truncationPlan,
  ZDataPosition,
  ZTrainingRecord,
  type TDataPosition,
  type TTokenizedPair,
  type TTokenizerLike,
  type TTrainingRecord,
} from "./index";

const EOS = 100257; // cl100k's <|endoftext|>
let tokenizer: TTokenizerLike;

beforeAll(async () => {
  await tf.setBackend("cpu");
  const cl100k = await loadTokenizer("cl100k_base");
  tokenizer = { encode: (text) => cl100k.encodeIds(text), eosTokenId: EOS };
});

const RECORD: TTrainingRecord = ZTrainingRecord.parse({
  id: "r1",
  instruction: "Write a function that loads a YAML config file.",
  reasoning: "The code may have the vulnerability CWE-502: 'Deserialization of Untrusted Data'. yaml.load runs arbitrary constructors.",
  secureCode: "import yaml\n\ndef load(path):\n    with open(path) as f:\n        return yaml.safe_load(f)",
  insecureCode: "import yaml\n\ndef load(path):\n    with open(path) as f:\n        return yaml.load(f)",
  cweId: "CWE-502",
  language: "python",
  split: "train",
});

describe("formatting (method.md section 5)", () => {
  it("writes the reference prompt and responses exactly", () => {
    const text = formatPair(RECORD, { includeReasoning: true });
    expect(text.prompt).toBe(
      "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n" +
        "### Instruction:\nWrite a function that loads a YAML config file.\n\n### Security Thought:",
    );
    expect(text.chosen).toBe(`\n${RECORD.reasoning}\n\n### Response:\n\`\`\`python\n${RECORD.secureCode}\n\`\`\``);
    expect(text.rejected).toBe(`\n${RECORD.reasoning}\n\n### Response:\n\`\`\`python\n${RECORD.insecureCode}\n\`\`\``);
  });

  it("without reasoning drops R and the security thought: the prompt ends in ### Response:", () => {
    expect(formatPrompt("Do x.", { includeReasoning: false })).toBe(
      "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n" +
        "### Instruction:\nDo x.\n\n### Response:",
    );
    expect(formatResponse("print(1)", "R", "Python", { includeReasoning: false })).toBe("\n```python\nprint(1)\n```");
  });

  it("rejects malformed records with a message naming the field", () => {
    expect(() => ZTrainingRecord.parse({ ...RECORD, split: "dev" })).toThrow(/split/);
  });
});

describe("tokenization and masks", () => {
  const big = { includeReasoning: true, maxLength: 4096, maxPromptLength: 1024 };

  it("computes masks on the responses' ids: R and the fence stay unmarked, the changed call is marked, EOS ends both", () => {
    const pair = tokenizePair(RECORD, tokenizer, computeTokenMasks, big);
    const text = formatPair(RECORD, big);
    expect(pair.promptIds).toEqual(tokenizer.encode(text.prompt));
    expect(pair.chosenIds).toEqual([...tokenizer.encode(text.chosen), EOS]);
    expect(pair.rejectedIds).toEqual([...tokenizer.encode(text.rejected), EOS]);
    const direct = computeTokenMasks(tokenizer.encode(text.rejected), tokenizer.encode(text.chosen));
    expect(pair.chosenMask).toEqual([...Array.from(direct.chosen), 0]);
    expect(pair.rejectedMask).toEqual([...Array.from(direct.rejected), 0]);
    // Everything before the code's last line (R included) is identical in both responses, so unmarked.
    const sharedPrefix = tokenizer.encode(`\n${RECORD.reasoning}\n\n### Response:\n\`\`\`python\nimport yaml`).length;
    expect(pair.chosenMask.slice(0, sharedPrefix).every((m) => m === 0)).toBe(true);
    expect(pair.chosenMask.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(pair.rejectedMask.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(pair.truncated).toBe(false);
  });

  it("rejects a mask function whose masks do not match the ids", () => {
    expect(() => tokenizePair(RECORD, tokenizer, () => ({ rejected: [1], chosen: [0] }), big)).toThrow(/marks for/);
  });

  it("truncates the prompt from the left only when needed, the responses from the right", () => {
    expect(truncationPlan([1, 2, 3, 4, 5], [3, 2], { maxLength: 10, maxPromptLength: 2 })).toEqual({
      promptIds: [1, 2, 3, 4, 5],
      responseLengths: [3, 2],
      truncated: false,
    });
    expect(truncationPlan([1, 2, 3, 4, 5], [7, 2], { maxLength: 10, maxPromptLength: 2 })).toEqual({
      promptIds: [4, 5],
      responseLengths: [7, 2],
      truncated: true,
    });
    expect(truncationPlan([1, 2, 3, 4, 5], [12, 2], { maxLength: 10, maxPromptLength: 2 })).toEqual({
      promptIds: [4, 5],
      responseLengths: [8, 2],
      truncated: true,
    });
    expect(() => truncationPlan([1], [1], { maxLength: 4, maxPromptLength: 4 })).toThrow(/smaller than maxLength/);
  });

  it("keeps masks aligned after truncation: kept tokens and marks are prefixes of the untruncated ones", () => {
    const full = tokenizePair(RECORD, tokenizer, computeTokenMasks, big);
    const limits = { includeReasoning: true, maxLength: full.promptIds.length - 10 + 40, maxPromptLength: full.promptIds.length - 10 };
    const cut = tokenizePair(RECORD, tokenizer, computeTokenMasks, limits);
    expect(cut.truncated).toBe(true);
    expect(cut.promptIds).toEqual(full.promptIds.slice(10));
    // Budget for each response: maxLength - kept prompt = 40 tokens.
    expect(cut.chosenIds).toEqual(full.chosenIds.slice(0, 40));
    expect(cut.chosenMask).toEqual(full.chosenMask.slice(0, 40));
    expect(cut.rejectedMask).toEqual(full.rejectedMask.slice(0, cut.rejectedIds.length));
    expect(cut.chosenMask.length).toBe(cut.chosenIds.length);
    expect(cut.rejectedMask.length).toBe(cut.rejectedIds.length);
  });

  it("where truncation cuts both responses at the same point of their shared tail, masks equal masks computed on the truncated ids", () => {
    // One-token substitution: the responses have equal lengths, so a cut in the shared tail removes the same tokens.
    const record = { ...RECORD, secureCode: "x = 1\nrun(x)\nprint('done and done and done')", insecureCode: "x = 2\nrun(x)\nprint('done and done and done')" };
    const text = formatPair(record, big);
    const [c, r] = [tokenizer.encode(text.chosen), tokenizer.encode(text.rejected)];
    expect(c.length).toBe(r.length);
    const prompt = tokenizer.encode(text.prompt).length;
    const keep = c.length - 4;
    const pair = tokenizePair(record, tokenizer, computeTokenMasks, { includeReasoning: true, maxLength: prompt + keep, maxPromptLength: prompt });
    expect(pair.chosenIds).toEqual(c.slice(0, keep));
    const direct = computeTokenMasks(r.slice(0, keep), c.slice(0, keep));
    expect(pair.chosenMask).toEqual(Array.from(direct.chosen));
    expect(pair.rejectedMask).toEqual(Array.from(direct.rejected));
    expect(pair.chosenMask.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it("masks come from the whole responses, so a shared tail cut at different places stays unmarked (a diff of the cut ids would mark it)", () => {
    const record = {
      ...RECORD,
      secureCode: "value = sanitize(escape(strip(user_input)))\nsave(value)\nlog('saved the value to the store')",
      insecureCode: "value = user_input\nsave(value)\nlog('saved the value to the store')",
    };
    const text = formatPair(record, big);
    const [c, r] = [tokenizer.encode(text.chosen), tokenizer.encode(text.rejected)];
    expect(c.length).toBeGreaterThan(r.length);
    const prompt = tokenizer.encode(text.prompt).length;
    const keep = c.length - 3; // cuts y+ inside the shared tail; y- (shorter) is kept whole
    expect(r.length + 1).toBeLessThanOrEqual(keep);
    const pair = tokenizePair(record, tokenizer, computeTokenMasks, { includeReasoning: true, maxLength: prompt + keep, maxPromptLength: prompt });
    const full = tokenizePair(record, tokenizer, computeTokenMasks, big);
    expect(pair.rejectedIds).toEqual([...r, EOS]);
    expect(pair.chosenIds).toEqual(c.slice(0, keep));
    expect(pair.chosenMask).toEqual(full.chosenMask.slice(0, keep));
    expect(pair.rejectedMask).toEqual(full.rejectedMask);
    // y-'s last code tokens are shared with y+, so they stay unmarked...
    expect(pair.rejectedMask.slice(r.length - 3).every((m) => m === 0)).toBe(true);
    // ...whereas a diff of the cut ids would see them as deleted.
    const direct = computeTokenMasks(r, c.slice(0, keep));
    expect(Array.from(direct.rejected).slice(r.length - 3).some((m) => m === 1)).toBe(true);
  });

  it("SFT examples: prompt and R + y+ + EOS, truncated by the same rule", () => {
    const sft = tokenizeSft(RECORD, tokenizer, big);
    const text = formatPair(RECORD, big);
    expect(sft.promptIds).toEqual(tokenizer.encode(text.prompt));
    expect(sft.responseIds).toEqual([...tokenizer.encode(text.chosen), EOS]);
    const cut = tokenizeSft(RECORD, tokenizer, { includeReasoning: false, maxLength: 30, maxPromptLength: 10 });
    expect(cut.promptIds.length).toBe(10);
    expect(cut.responseIds.length).toBe(20);
    expect(cut.promptIds).toEqual(tokenizer.encode(formatPrompt(RECORD.instruction, { includeReasoning: false })).slice(-10));
  });

  const disco = path.resolve(process.cwd(), "../shared/data/disco/DiSCo_test.csv");
  it.skipIf(!fs.existsSync(disco))("real DiSCo records (../shared/data/disco/DiSCo_test.csv): truncated masks stay prefixes of the full masks", () => {
    const rows = parse(fs.readFileSync(disco), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    let marked = 0;
    let truncated = 0;
    for (const [i, row] of rows.slice(0, 25).entries()) {
      const record = ZTrainingRecord.parse({
        id: `t${i}`,
        instruction: row["Prompt"],
        reasoning: row["Reasoning"],
        secureCode: row["Secure Code"],
        insecureCode: row["Vulnerable Code"],
        cweId: null,
        language: "python",
        split: "test",
      });
      const full = tokenizePair(record, tokenizer, computeTokenMasks, big);
      const cut = tokenizePair(record, tokenizer, computeTokenMasks, { includeReasoning: true, maxLength: 256, maxPromptLength: 64 });
      for (const side of ["chosen", "rejected"] as const) {
        const ids = cut[`${side}Ids`];
        expect(cut[`${side}Mask`].length).toBe(ids.length);
        expect(ids).toEqual(full[`${side}Ids`].slice(0, ids.length));
        expect(cut[`${side}Mask`]).toEqual(full[`${side}Mask`].slice(0, ids.length));
      }
      expect(cut.promptIds.length + Math.max(cut.chosenIds.length, cut.rejectedIds.length)).toBeLessThanOrEqual(256);
      if (cut.truncated) truncated++;
      if (full.chosenMask.some((m) => m) || full.rejectedMask.some((m) => m)) marked++;
    }
    expect(truncated).toBeGreaterThan(0);
    expect(marked).toBeGreaterThan(20);
  });
});

describe("oversampling (SafeCoder)", () => {
  it("brings every (CWE, language) group below k up to exactly k, seeded, and leaves larger groups alone", () => {
    const items = [
      ...Array.from({ length: 3 }, (_, i) => ({ id: `a${i}`, cweId: "CWE-79", language: "python" })),
      ...Array.from({ length: 7 }, (_, i) => ({ id: `b${i}`, cweId: "CWE-89", language: "python" })),
      ...Array.from({ length: 1 }, (_, i) => ({ id: `c${i}`, cweId: "CWE-89", language: "c" })),
      ...Array.from({ length: 12 }, (_, i) => ({ id: `d${i}`, cweId: null, language: "python" })),
    ];
    const out = oversampleGroups(items, 10, 7);
    const count = (pred: (x: (typeof items)[number]) => boolean) => out.filter(pred).length;
    expect(count((x) => x.id.startsWith("a"))).toBe(10);
    expect(count((x) => x.id.startsWith("b"))).toBe(10);
    expect(count((x) => x.id === "c0")).toBe(10);
    expect(count((x) => x.id.startsWith("d"))).toBe(12);
    expect(out.slice(0, items.length)).toEqual(items);
    // 3 -> 10: three whole copies (9) plus one sampled: every original appears 3 or 4 times.
    for (let i = 0; i < 3; i++) expect([3, 4]).toContain(count((x) => x.id === `a${i}`));
    // 7 -> 10: each of the 3 extra copies is a different example.
    for (let i = 0; i < 7; i++) expect([1, 2]).toContain(count((x) => x.id === `b${i}`));
    expect(oversampleGroups(items, 10, 7)).toEqual(out);
    expect(oversampleGroups(items, 0, 7)).toEqual(items);
  });
});

describe("data order", () => {
  it("each epoch is a seeded permutation; seeds and epochs differ", () => {
    const e0 = epochOrder(50, 42, 0);
    expect([...e0].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(epochOrder(50, 42, 0)).toEqual(e0);
    expect(epochOrder(50, 42, 1)).not.toEqual(e0);
    expect(epochOrder(50, 43, 0)).not.toEqual(e0);
  });

  it("micro-batches are resumable from a JSON position, and epochs roll over", () => {
    const walk = (from: TDataPosition, steps: number) => {
      const batches: number[][] = [];
      let position = from;
      for (let i = 0; i < steps; i++) {
        const pick = nextMicroBatch(10, position, 4, 9);
        batches.push(pick.indices);
        position = pick.next;
      }
      return { batches, position };
    };
    const straight = walk({ epoch: 0, index: 0 }, 8);
    // 10 examples in batches of 4: 4, 4, 2 per epoch.
    expect(straight.batches.map((b) => b.length)).toEqual([4, 4, 2, 4, 4, 2, 4, 4]);
    expect(straight.batches.slice(0, 3).flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    const half = walk({ epoch: 0, index: 0 }, 4);
    const resumed = walk(ZDataPosition.parse(JSON.parse(JSON.stringify(half.position))), 4);
    expect([...half.batches, ...resumed.batches]).toEqual(straight.batches);
    expect(straight.position).toEqual({ epoch: 2, index: 8 });
  });

  it("the PRNG continues exactly from a stored state", () => {
    const a = createRng(123);
    for (let i = 0; i < 5; i++) a.next();
    const b = rngFromState(a.state());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(Array.from({ length: 5 }, () => a.next()));
    const values = Array.from({ length: 1000 }, () => a.next());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(Math.abs(values.reduce((s, v) => s + v, 0) / 1000 - 0.5)).toBeLessThan(0.05);
  });
});

describe("collation", () => {
  const pairs: TTokenizedPair[] = [
    { id: "p0", cweId: null, language: "python", promptIds: [10, 11], chosenIds: [20, 21, 22], chosenMask: [0, 1, 0], rejectedIds: [30, 31], rejectedMask: [1, 0], truncated: false },
    { id: "p1", cweId: null, language: "python", promptIds: [12], chosenIds: [23, 24], chosenMask: [1, 1], rejectedIds: [32, 33, 34, 35], rejectedMask: [0, 0, 1, 1], truncated: false },
  ];

  it("shifts, right-pads and lays out [chosen; rejected] rows", () => {
    const b = collatePreferenceBatch(pairs, { padTokenId: 0 });
    expect([b.rows, b.length, b.examples]).toEqual([4, 4, 2]);
    const rows = (a: ArrayLike<number>) => [0, 1, 2, 3].map((r) => Array.from(a).slice(r * 4, r * 4 + 4));
    expect(rows(b.inputIds)).toEqual([
      [10, 11, 20, 21], // chosen p0: sequence 10 11 20 21 22
      [12, 23, 0, 0], // chosen p1: 12 23 24
      [10, 11, 30, 0], // rejected p0: 10 11 30 31
      [12, 32, 33, 34], // rejected p1: 12 32 33 34 35
    ]);
    expect(rows(b.labels)).toEqual([
      [11, 20, 21, 22],
      [23, 24, 0, 0],
      [11, 30, 31, 0],
      [32, 33, 34, 35],
    ]);
    expect(rows(b.attentionMask)).toEqual([
      [1, 1, 1, 1],
      [1, 1, 0, 0],
      [1, 1, 1, 0],
      [1, 1, 1, 1],
    ]);
    expect(rows(b.responseMask)).toEqual([
      [0, 1, 1, 1],
      [1, 1, 0, 0],
      [0, 1, 1, 0],
      [1, 1, 1, 1],
    ]);
    expect(rows(b.securityMask)).toEqual([
      [0, 0, 1, 0],
      [1, 1, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 1],
    ]);
    expect(b.tokens).toBe(4 + 2 + 3 + 4);
  });

  it("SFT batches count the response, or the whole text with lossOn full", () => {
    const examples = [{ id: "s", cweId: null, language: "python", promptIds: [1, 2, 3], responseIds: [4, 5], truncated: false }];
    const response = collateSftBatch(examples, { padTokenId: 0, lossOn: "response" });
    expect(Array.from(response.labels)).toEqual([2, 3, 4, 5]);
    expect(Array.from(response.lossMask)).toEqual([0, 0, 1, 1]);
    expect(Array.from(collateSftBatch(examples, { padTokenId: 0, lossOn: "full" }).lossMask)).toEqual([1, 1, 1, 1]);
  });

  it("a collated batch feeds tokenLogProbs and every preference loss; numTensors stays flat", () => {
    const arrays = collatePreferenceBatch(pairs, { padTokenId: 0 });
    const batch = batchToTensors(arrays);
    const logits = tf.randomNormal([arrays.rows, arrays.length, 40], 0, 1, "float32", 1) as tf.Tensor3D;
    const refs = { refChosenLogps: tf.tensor1d([-3, -2]), refRejectedLogps: tf.tensor1d([-2, -4]) };
    const before = tf.memory().numTensors;
    for (const preset of ["dpo", "simpo", "lpo", "lpo-reference", "safecoder"]) {
      const config = getPreset(preset).config;
      const result = tf.tidy(() => computeLoss(config, tokenLogProbs(logits, batch.labels), batch, refs));
      const loss = result.loss.dataSync()[0];
      const stats = readStats(result.stats);
      result.loss.dispose();
      expect(Number.isFinite(loss)).toBe(true);
      expect(Object.values(stats).every(Number.isFinite)).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
    }
    // The dispatcher's split matches the layout: chosen rows first.
    const halves = splitPreferenceRows(batch.labels);
    expect(halves.chosen.arraySync()[0]).toEqual([11, 20, 21, 22]);
    expect(halves.rejected.arraySync()[1]).toEqual([32, 33, 34, 35]);
    tf.dispose([halves.chosen, halves.rejected, logits, refs.refChosenLogps, refs.refRejectedLogps]);
    disposeBatch(batch);
    const sftConfig = getPreset("sft").config;
    const sftBatch = batchToTensors(collateSftBatch([{ id: "s", cweId: null, language: "python", promptIds: [1, 2], responseIds: [3, 4, 5], truncated: false }], { padTokenId: 0, lossOn: "response" }));
    const sftLogits = tf.zeros([1, 4, 8]) as tf.Tensor3D;
    const result = tf.tidy(() => computeLoss(sftConfig, tokenLogProbs(sftLogits, sftBatch.labels), sftBatch));
    expect(result.loss.dataSync()[0]).toBeCloseTo(Math.log(8), 5); // uniform logits: NLL log V per token
    disposeLossResult(result);
    tf.dispose(sftLogits);
    disposeBatch(sftBatch);
  });
});

describe("prepareExamples and collateMicroBatch", () => {
  const records: TTrainingRecord[] = [
    { ...RECORD, id: "a" },
    { ...RECORD, id: "b", secureCode: RECORD.secureCode.replace("path", "p") },
    { ...RECORD, id: "c", cweId: "CWE-89" },
    { ...RECORD, id: "d", split: "val" },
  ];
  const base = { ...getPreset("lpo").config, maxLength: 256, maxPromptLength: 64 };

  it("tokenizes one split for the method, oversampling SafeCoder's groups to k", () => {
    const lpo = prepareExamples(records, base, tokenizer, computeTokenMasks);
    expect(lpo.kind).toBe("preference");
    expect(exampleCount(lpo)).toBe(3);
    const safecoder = prepareExamples(records, { ...base, method: "safecoder", loss: { ...base.loss, oversampleK: 4 } }, tokenizer, computeTokenMasks);
    expect(exampleCount(safecoder)).toBe(8); // (CWE-502, python) 2 -> 4, (CWE-89, python) 1 -> 4
    const sft = prepareExamples(records, { ...base, method: "sft" }, tokenizer, computeTokenMasks, "val");
    expect(sft.kind).toBe("sft");
    expect(exampleCount(sft)).toBe(1);
    if (lpo.kind === "preference") expect(lpo.emptyChosenMasks).toBe(0);
  });

  it("collates the picked examples; DPO with the policy as its own reference gives log 2", () => {
    // A character tokenizer keeps the vocabulary (and the logits) small on the cpu backend.
    const chars: TTokenizerLike = { encode: (text) => Array.from(text, (ch) => ch.charCodeAt(0) % 96), eosTokenId: 96 };
    const data = prepareExamples(records, { ...base, method: "dpo" }, chars, computeTokenMasks);
    const pick = nextMicroBatch(exampleCount(data), { epoch: 0, index: 0 }, 2, base.seed);
    const batch = batchToTensors(collateMicroBatch(data, pick.indices, { padTokenId: 96, sftLossOn: "response" }));
    expect(batch.inputIds.shape[0]).toBe(4);
    const logits = tf.randomNormal([4, batch.inputIds.shape[1], 97], 0, 1, "float32", 3) as tf.Tensor3D;
    const logps = tf.tidy(() => tokenLogProbs(logits, batch.labels));
    const ref = preferenceSequenceLogps(logps, batch);
    const result = computeLoss({ method: "dpo", loss: base.loss }, logps, batch, { refChosenLogps: ref.chosen, refRejectedLogps: ref.rejected });
    expect(result.loss.dataSync()[0]).toBeCloseTo(Math.LN2, 5);
    disposeLossResult(result);
    tf.dispose([logits, logps, ref.chosen, ref.rejected]);
    disposeBatch(batch);
    expect(() => collateMicroBatch(data, [5], { padTokenId: 0, sftLossOn: "response" })).toThrow(/out of range/);
  });
});
