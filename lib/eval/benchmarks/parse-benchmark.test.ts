// The importers on the real public benchmark files in ../shared/data (skipped, saying so, when that folder is absent).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { projectRoot } from "../../project-root";
import { importBenchmark } from "./import-benchmark";
import { BenchmarkFileError, cweFromId, parseBenchmarkSource, type TBenchmarkFormat } from "./parse-benchmark";

const DATA = path.resolve(projectRoot(), "../shared/data");
const present = fs.existsSync(path.join(DATA, "bench"));
if (!present) console.warn(`SKIP benchmark importer tests on real files: ${DATA}/bench is absent`);

const FILES: { format: TBenchmarkFormat; file: string; count: number; kinds: Record<string, number>; cwes?: number }[] = [
  { format: "securityeval", file: "bench/securityeval/dataset.jsonl", count: 121, kinds: { COMPLETION: 121 }, cwes: 69 },
  { format: "asleep", file: "bench/asleep_at_keyboard/scenario_dow.jsonl", count: 29, kinds: { COMPLETION: 29 } },
  { format: "llmseceval", file: "bench/llmseceval/LLMSecEval-Prompts_dataset.json", count: 83, kinds: { INSTRUCTION: 83 } },
  { format: "llmseceval", file: "bench/llmseceval/LLMSecEval-Prompts_dataset.csv", count: 83, kinds: { INSTRUCTION: 83 } },
  { format: "disco-test", file: "disco/DiSCo_test.csv", count: 200, kinds: { INSTRUCTION: 200 } },
  { format: "humaneval", file: "bench/humaneval/HumanEval.jsonl", count: 164, kinds: { COMPLETION: 164 } },
  { format: "humaneval-x", file: "bench/humaneval_x_python/humaneval_python.jsonl", count: 164, kinds: { COMPLETION: 164 } },
  { format: "mbxp", file: "bench/mbxp_python/mbpp_release_v1.jsonl", count: 974, kinds: { COMPLETION: 974 } },
  { format: "mbpp-sanitized", file: "bench/mbpp/sanitized-mbpp.json", count: 427, kinds: { DOCSTRING: 427 } },
  { format: "safecoder", file: "safecoder/sec_eval_scenarios", count: 34, kinds: { COMPLETION: 34 } },
];

describe.skipIf(!present)("benchmark files", () => {
  for (const spec of FILES) {
    it(`${spec.format}: ${spec.file} has ${spec.count} Python items`, () => {
      const parsed = parseBenchmarkSource(path.join(DATA, spec.file), spec.format);
      expect(parsed.items).toHaveLength(spec.count);
      const kinds: Record<string, number> = {};
      for (const item of parsed.items) kinds[item.promptKind] = (kinds[item.promptKind] ?? 0) + 1;
      expect(kinds).toEqual(spec.kinds);
      expect(parsed.sourceHash).toMatch(/^[0-9a-f]{64}$/);
      if (parsed.kind === "SECURITY") {
        expect(parsed.items.every((item) => item.cweId && /^CWE-[1-9]\d*$/.test(item.cweId))).toBe(true);
      } else {
        expect(parsed.items.every((item) => item.entryPoint && item.tests && typeof item.metadata.canonicalSolution === "string")).toBe(true);
      }
      if (spec.cwes) expect(new Set(parsed.items.map((item) => item.cweId)).size).toBe(spec.cwes);
    });
  }

  it("keeps the fields each format carries", () => {
    const se = parseBenchmarkSource(path.join(DATA, "bench/securityeval/dataset.jsonl"), "securityeval").items[0]!;
    expect(se).toMatchObject({ externalId: "CWE-020_author_1.py", cweId: "CWE-20", promptKind: "COMPLETION" });
    expect(se.prompt.startsWith("import yaml\n")).toBe(true);
    const he = parseBenchmarkSource(path.join(DATA, "bench/humaneval/HumanEval.jsonl"), "humaneval").items[0]!;
    expect(he).toMatchObject({ externalId: "HumanEval/0", entryPoint: "has_close_elements" });
    expect(he.tests!.trimEnd().endsWith("check(has_close_elements)")).toBe(true);
    expect(he.metadata.prelude).toBe("from typing import List");
    const hx = parseBenchmarkSource(path.join(DATA, "bench/humaneval_x_python/humaneval_python.jsonl"), "humaneval-x").items[0]!;
    expect(hx).toMatchObject({ externalId: "Python/0", entryPoint: "has_close_elements" });
    // Its test already calls check: not a second time.
    expect(hx.tests!.match(/\ncheck\(has_close_elements\)/g)).toHaveLength(1);
    const mbpp = parseBenchmarkSource(path.join(DATA, "bench/mbpp/sanitized-mbpp.json"), "mbpp-sanitized").items[0]!;
    expect(mbpp).toMatchObject({ externalId: "2", entryPoint: "similar_elements", promptKind: "DOCSTRING" });
    const llm = parseBenchmarkSource(path.join(DATA, "bench/llmseceval/LLMSecEval-Prompts_dataset.json"), "llmseceval").items;
    expect(llm.filter((item) => item.metadata.repeatOf).map((item) => item.externalId).sort()).toEqual(["CWE-20_IIV-2b#2", "CWE-522_IPC-3a#2"]);
    expect(llm.some((item) => item.prompt.includes("<language>"))).toBe(false);
    const sc = parseBenchmarkSource(path.join(DATA, "safecoder/sec_eval_scenarios"), "safecoder").items[0]!;
    expect(sc.externalId).toMatch(/^(not-trained|trained|trained-new)\/cwe-\d+\/\d+-py$/);
  });
});

describe("parsing errors", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "disco-bench-parse-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  it("names the line and the problem", () => {
    const file = path.join(tmp, "bad.jsonl");
    fs.writeFileSync(file, '{"ID": "CWE-079_a.py", "Prompt": "x"}\n{"ID": "CWE-080_b.py"}\n');
    expect(() => parseBenchmarkSource(file, "securityeval")).toThrow(/bad\.jsonl line 2: .*Prompt/s);
    fs.writeFileSync(file, "not json\n");
    expect(() => parseBenchmarkSource(file, "humaneval")).toThrow(BenchmarkFileError);
    expect(() => parseBenchmarkSource(path.join(tmp, "missing.jsonl"), "humaneval")).toThrow(/cannot read .*ENOENT/);
    expect(() => parseBenchmarkSource(file, "safecoder")).toThrow(/are a folder/);
  });
  it("reads CWE ids from benchmark ids", () => {
    expect(cweFromId("CWE-020_author_1.py")).toBe("CWE-20");
    expect(cweFromId("DoW/CWE-502-0")).toBe("CWE-502");
    expect(cweFromId("HumanEval/3")).toBeNull();
  });
});

describe("importBenchmark", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "disco-bench-import-"));
  const names: string[] = [];
  afterAll(async () => {
    await getDb().benchmark.deleteMany({ where: { name: { in: names } } });
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("creates, re-imports idempotently, replaces a changed file while unevaluated", async () => {
    const db = getDb();
    const name = `test-bench-${Date.now()}`;
    names.push(name);
    const file = path.join(tmp, "he.jsonl");
    const row = (id: number) =>
      JSON.stringify({ task_id: `T/${id}`, prompt: "def f(x):\n", entry_point: "f", canonical_solution: "    return x\n", test: "def check(c):\n    assert c(1) == 1\n" });
    fs.writeFileSync(file, [row(0), row(1)].join("\n") + "\n");
    const first = await importBenchmark(db, { filePath: file, format: "humaneval", name });
    expect(first).toMatchObject({ outcome: "created", items: 2, kind: "UTILITY", promptKinds: { COMPLETION: 2 } });
    const again = await importBenchmark(db, { filePath: file, format: "humaneval", name });
    expect(again).toMatchObject({ outcome: "unchanged", benchmarkId: first.benchmarkId, sourceHash: first.sourceHash });
    expect(await db.benchmarkItem.count({ where: { benchmarkId: first.benchmarkId } })).toBe(2);
    const stored = await db.benchmark.findUniqueOrThrow({ where: { id: first.benchmarkId } });
    expect(stored).toMatchObject({ format: "humaneval", sourceFile: "he.jsonl", sourceHash: first.sourceHash });

    fs.writeFileSync(file, [row(0), row(1), row(2)].join("\n") + "\n");
    const replaced = await importBenchmark(db, { filePath: file, format: "humaneval", name });
    expect(replaced).toMatchObject({ outcome: "replaced", items: 3, benchmarkId: first.benchmarkId });
    expect(replaced.sourceHash).not.toBe(first.sourceHash);
    const item = await db.benchmarkItem.findFirstOrThrow({ where: { benchmarkId: first.benchmarkId, externalId: "T/2" } });
    expect(item).toMatchObject({ entryPoint: "f", promptKind: "COMPLETION" });
    expect(item.tests).toContain("check(f)");
    expect((item.metadata as { canonicalSolution: string }).canonicalSolution).toBe("def f(x):\n    return x\n");

    await expect(importBenchmark(db, { filePath: file, format: "securityeval", name })).rejects.toThrow(/already exists with format humaneval/);
  });

  it.skipIf(!present)("imports the real SecurityEval file with its 121 items", async () => {
    const db = getDb();
    const name = `test-securityeval-${Date.now()}`;
    names.push(name);
    const report = await importBenchmark(db, { filePath: path.join(DATA, "bench/securityeval/dataset.jsonl"), format: "securityeval", name });
    expect(report).toMatchObject({ items: 121, kind: "SECURITY", outcome: "created" });
    expect(await db.benchmarkItem.count({ where: { benchmarkId: report.benchmarkId, cweId: "CWE-89" } })).toBeGreaterThan(0);
  });
});
