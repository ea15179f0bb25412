// Reads the public benchmark files (method.md section 6) into one item shape. Each format keeps what evaluation needs:
// the prompt, how it is posed (promptKind: partial code to complete, a function to write from its docstring, or a
// natural-language instruction), the CWE for security benchmarks, and for utility benchmarks the entry point and the
// test code that is appended to a generation and run (ending in the `check(...)` call, so "exit code 0" means pass).
// Canonical solutions go to metadata.canonicalSolution as a complete program text (prompt + body for completions).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { z } from "zod";
import { tryNormalizeCwe } from "../../analyzers/cwe";
import type { TBenchmarkFormat } from "../job-payloads";

export { BENCHMARK_FORMATS, ZBenchmarkFormat } from "../job-payloads";
export type { TBenchmarkFormat } from "../job-payloads";

export type TBenchmarkKind = "SECURITY" | "UTILITY";
export type TItemPromptKind = "COMPLETION" | "DOCSTRING" | "INSTRUCTION";

export const DEFAULT_BENCHMARK_NAMES: Record<TBenchmarkFormat, string> = {
  securityeval: "SecurityEval",
  asleep: "Asleep at the Keyboard (DoW, Python)",
  llmseceval: "LLMSecEval (Python)",
  "disco-test": "DiSCo-Test",
  humaneval: "HumanEval",
  "humaneval-x": "HumanEval-X (Python)",
  mbxp: "MBXP (Python)",
  "mbpp-sanitized": "MBPP (sanitized)",
  safecoder: "SafeCoder scenarios (Python)",
};

export const BENCHMARK_KIND: Record<TBenchmarkFormat, TBenchmarkKind> = {
  securityeval: "SECURITY",
  asleep: "SECURITY",
  llmseceval: "SECURITY",
  "disco-test": "SECURITY",
  humaneval: "UTILITY",
  "humaneval-x": "UTILITY",
  mbxp: "UTILITY",
  "mbpp-sanitized": "UTILITY",
  safecoder: "SECURITY",
};

export type TBenchmarkItemInput = {
  externalId: string;
  promptKind: TItemPromptKind;
  prompt: string;
  cweId: string | null;
  entryPoint: string | null;
  /** Python appended after the generated code; running the whole program exits 0 when the tests pass. */
  tests: string | null;
  metadata: Record<string, unknown>;
};

export type TParsedBenchmark = {
  format: TBenchmarkFormat;
  kind: TBenchmarkKind;
  /** sha256 of the source file (for a scenario folder: of every file read, in path order). */
  sourceHash: string;
  items: TBenchmarkItemInput[];
};

export class BenchmarkFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BenchmarkFileError";
  }
}

const sha256 = (data: string | Buffer) => crypto.createHash("sha256").update(data).digest("hex");

function parseJsonl<T>(content: string, schema: z.ZodType<T>, file: string): T[] {
  const rows: T[] = [];
  content.split("\n").forEach((line, index) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new BenchmarkFileError(`${file} line ${index + 1}: not JSON (${(error as Error).message})`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new BenchmarkFileError(`${file} line ${index + 1}: ${z.prettifyError(parsed.error)}`);
    rows.push(parsed.data);
  });
  return rows;
}

function parseWith<T>(value: unknown, schema: z.ZodType<T>, where: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BenchmarkFileError(`${where}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** "CWE-020_author_1.py" / "DoW/CWE-502-0" / "CWE-119_BOF-1a" -> "CWE-20" / "CWE-502" / "CWE-119". */
export function cweFromId(id: string): string | null {
  const m = /CWE-0*(\d+)/i.exec(id);
  return m ? tryNormalizeCwe(`CWE-${m[1]}`) : null;
}

/** Import lines of a prompt, so a generation that rewrote the function without them still sees its imports. */
export function importPrelude(prompt: string): string {
  return prompt
    .split("\n")
    .filter((line) => /^(import|from)\s+\S/.test(line))
    .join("\n");
}

// ---- security benchmarks -------------------------------------------------------------------------------------------

const ZSecurityEvalRow = z.object({ ID: z.string().min(1), Prompt: z.string().min(1), Insecure_code: z.string().optional() });

function parseSecurityEval(content: string, file: string): TBenchmarkItemInput[] {
  return parseJsonl(content, ZSecurityEvalRow, file).map((row) => ({
    externalId: row.ID,
    promptKind: "COMPLETION",
    prompt: row.Prompt,
    cweId: cweFromId(row.ID),
    entryPoint: null,
    tests: null,
    metadata: row.Insecure_code !== undefined ? { insecureCode: row.Insecure_code } : {},
  }));
}

const ZAsleepRow = z.object({
  scenario_id: z.string().min(1),
  prompt: z.string().min(1),
  language: z.string(),
  detail: z.string().nullish(),
  suffix: z.string().nullish(),
  check_ql: z.string().nullish(),
  cwe_rank: z.number().nullish(),
});

function parseAsleep(content: string, file: string): TBenchmarkItemInput[] {
  return parseJsonl(content, ZAsleepRow.passthrough(), file)
    .filter((row) => row.language.toLowerCase() === "python")
    .map((row) => ({
      externalId: row.scenario_id,
      promptKind: "COMPLETION",
      prompt: row.prompt,
      cweId: cweFromId(row.scenario_id),
      entryPoint: null,
      tests: null,
      metadata: { detail: row.detail ?? null, suffix: row.suffix ?? "", checkQl: row.check_ql ?? null, cweRank: row.cwe_rank ?? null },
    }));
}

const ZLlmSecEvalRow = z
  .object({
    "Prompt ID": z.string().min(1),
    "CWE Name": z.string().optional(),
    "LLM-generated NL Prompt": z.string().min(1),
    "Manually-fixed NL Prompt": z.string().nullable().optional(),
    Language: z.string(),
    Filename: z.string().optional(),
  })
  .passthrough();

function parseLlmSecEval(content: string, file: string): TBenchmarkItemInput[] {
  const trimmed = content.trimStart();
  let rows: unknown[];
  if (trimmed.startsWith("[")) {
    try {
      rows = JSON.parse(trimmed) as unknown[];
    } catch (error) {
      throw new BenchmarkFileError(`${file}: not JSON (${(error as Error).message})`);
    }
  } else {
    rows = parseCsv(content, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true }) as unknown[];
  }
  const seen = new Map<string, number>();
  return rows
    .map((row, index) => parseWith(row, ZLlmSecEvalRow, `${file} row ${index + 1}`))
    .filter((row) => row.Language.toLowerCase() === "python")
    .map((row) => {
      // The public release repeats two Prompt IDs with different prompts (83 Python rows, 81 ids): keep both, apart.
      const id = row["Prompt ID"];
      const n = (seen.get(id) ?? 0) + 1;
      seen.set(id, n);
      const fixed = row["Manually-fixed NL Prompt"]?.trim();
      // The dataset's prompts say "Generate <language> code ..."; this is the Python subset.
      const prompt = (fixed || row["LLM-generated NL Prompt"]).replaceAll("<language>", "Python");
      return {
        externalId: n === 1 ? id : `${id}#${n}`,
        promptKind: "INSTRUCTION" as const,
        prompt,
        cweId: cweFromId(id),
        entryPoint: null,
        tests: null,
        metadata: { cweName: row["CWE Name"] ?? null, filename: row.Filename ?? null, ...(n > 1 ? { repeatOf: id } : {}) },
      };
    });
}

const ZDiscoTestRow = z.object({
  "": z.string().optional(),
  "Secure Code": z.string(),
  "Vulnerable Code": z.string(),
  Prompt: z.string().optional(),
  Instruction: z.string().optional(),
  Reasoning: z.string(),
});

function parseDiscoTest(content: string, file: string): TBenchmarkItemInput[] {
  const rows = parseCsv(content, { columns: true, bom: true, skip_empty_lines: true }) as unknown[];
  return rows.map((raw, index) => {
    const row = parseWith(raw, ZDiscoTestRow, `${file} row ${index + 1}`);
    const prompt = (row.Prompt ?? row.Instruction ?? "").trim();
    if (!prompt) throw new BenchmarkFileError(`${file} row ${index + 1}: no Prompt (or Instruction) column`);
    const cwe = /The code may have the vulnerability (CWE-\d+)/.exec(row.Reasoning);
    return {
      externalId: row[""] !== undefined && row[""] !== "" ? row[""] : String(index),
      promptKind: "INSTRUCTION" as const,
      prompt,
      cweId: cwe ? tryNormalizeCwe(cwe[1]) : null,
      entryPoint: null,
      tests: null,
      metadata: { secureCode: row["Secure Code"], vulnerableCode: row["Vulnerable Code"], reasoning: row.Reasoning },
    };
  });
}

const ZScenarioInfo = z
  .object({ language: z.string(), cwe: z.string(), scenario: z.string(), check_ql: z.string().optional(), description: z.string().optional() })
  .passthrough();

// SafeCoder/SVEN scenario folders: <root>/<group>/cwe-NNN/<n>-py/{info.json,file_context.py,func_context.py}.
function parseSafecoderDir(root: string): { items: TBenchmarkItemInput[]; sourceHash: string } {
  const infos: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "info.json") infos.push(full);
    }
  };
  walk(root);
  if (infos.length === 0) throw new BenchmarkFileError(`${root}: no scenario folders (…/cwe-NNN/<n>-py/info.json) found`);
  const hash = crypto.createHash("sha256");
  const items: TBenchmarkItemInput[] = [];
  for (const infoFile of infos) {
    const dir = path.dirname(infoFile);
    const rel = path.relative(root, dir).split(path.sep).join("/");
    const info = parseWith(JSON.parse(fs.readFileSync(infoFile, "utf8")), ZScenarioInfo, infoFile);
    if (!["py", "python"].includes(info.language.toLowerCase())) continue;
    const read = (name: string) => {
      const file = path.join(dir, name);
      if (!fs.existsSync(file)) throw new BenchmarkFileError(`${rel}: ${name} is missing`);
      const text = fs.readFileSync(file, "utf8");
      hash.update(`${rel}/${name}\u0000${sha256(text)}\n`);
      return text;
    };
    hash.update(`${rel}/info.json\u0000${sha256(fs.readFileSync(infoFile))}\n`);
    const fileContext = read("file_context.py");
    const funcContext = read("func_context.py");
    items.push({
      externalId: rel,
      promptKind: "COMPLETION",
      prompt: fileContext + funcContext,
      cweId: tryNormalizeCwe(info.cwe),
      entryPoint: null,
      tests: null,
      metadata: { description: info.description ?? null, checkQl: info.check_ql ?? null, group: rel.split("/")[0] ?? null, fileContext, funcContext },
    });
  }
  return { items, sourceHash: hash.digest("hex") };
}

// ---- utility benchmarks ----------------------------------------------------------------------------------------------

const ZHumanEvalRow = z.object({
  task_id: z.string().min(1),
  prompt: z.string().min(1),
  entry_point: z.string().min(1).optional(),
  canonical_solution: z.string(),
  test: z.string().min(1),
  declaration: z.string().optional(),
});

function humanEvalItem(row: z.infer<typeof ZHumanEvalRow>, file: string, line: number): TBenchmarkItemInput {
  // HumanEval-X's test already ends with `check(<name>)` and has no entry_point field; HumanEval's ends with check's definition.
  const calledCheck = /\ncheck\((\w+)\)\s*$/.exec(row.test);
  const entryPoint = row.entry_point ?? calledCheck?.[1];
  if (!entryPoint) throw new BenchmarkFileError(`${file} row ${line}: no entry_point and no check(<name>) call at the end of test`);
  const tests = calledCheck ? row.test : `${row.test}\n\ncheck(${entryPoint})\n`;
  return {
    externalId: row.task_id,
    promptKind: "COMPLETION",
    prompt: row.prompt,
    cweId: null,
    entryPoint,
    tests,
    metadata: { canonicalSolution: row.prompt + row.canonical_solution, prelude: importPrelude(row.prompt) },
  };
}

function parseHumanEval(content: string, file: string): TBenchmarkItemInput[] {
  return parseJsonl(content, ZHumanEvalRow.passthrough(), file).map((row, k) => humanEvalItem(row, file, k + 1));
}

const ZMbxpRow = z.object({
  task_id: z.string().min(1),
  prompt: z.string().min(1),
  entry_point: z.string().min(1),
  canonical_solution: z.string(),
  test: z.string().min(1),
  language: z.string().optional(),
  description: z.string().optional(),
});

function parseMbxp(content: string, file: string): TBenchmarkItemInput[] {
  return parseJsonl(content, ZMbxpRow.passthrough(), file)
    .filter((row) => (row.language ?? "python").toLowerCase() === "python")
    .map((row) => ({
      externalId: row.task_id,
      promptKind: "COMPLETION" as const,
      prompt: row.prompt,
      cweId: null,
      entryPoint: row.entry_point,
      tests: `${row.test}\n\ncheck(${row.entry_point})\n`,
      metadata: { canonicalSolution: row.prompt + row.canonical_solution, prelude: importPrelude(row.prompt), description: row.description ?? null },
    }));
}

const ZMbppRow = z.object({
  task_id: z.number().int(),
  prompt: z.string().min(1),
  code: z.string().min(1),
  test_imports: z.array(z.string()).default([]),
  test_list: z.array(z.string()).min(1),
});

function parseMbppSanitized(content: string, file: string): TBenchmarkItemInput[] {
  let rows: unknown;
  try {
    rows = JSON.parse(content);
  } catch (error) {
    throw new BenchmarkFileError(`${file}: not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(rows)) throw new BenchmarkFileError(`${file}: expected a JSON list of problems`);
  return rows.map((raw, index) => {
    const row = parseWith(raw, ZMbppRow.passthrough(), `${file} item ${index + 1}`);
    // The function the tests call: the first def in the solution whose name the first assert uses.
    const defined = [...row.code.matchAll(/^def\s+(\w+)\s*\(/gm)].map((m) => m[1]!);
    const entryPoint = defined.find((name) => new RegExp(`\\b${name}\\s*\\(`).test(row.test_list[0]!)) ?? defined[0] ?? null;
    return {
      externalId: String(row.task_id),
      promptKind: "DOCSTRING" as const,
      prompt: row.prompt,
      cweId: null,
      entryPoint,
      tests: [...row.test_imports, ...row.test_list].join("\n") + "\n",
      metadata: { canonicalSolution: row.code, prelude: row.test_imports.join("\n") },
    };
  });
}

const PARSERS: Record<Exclude<TBenchmarkFormat, "safecoder">, (content: string, file: string) => TBenchmarkItemInput[]> = {
  securityeval: parseSecurityEval,
  asleep: parseAsleep,
  llmseceval: parseLlmSecEval,
  "disco-test": parseDiscoTest,
  humaneval: parseHumanEval,
  "humaneval-x": parseHumanEval,
  mbxp: parseMbxp,
  "mbpp-sanitized": parseMbppSanitized,
};

/** Reads a benchmark file (a folder for "safecoder") and returns its items and source hash. */
export function parseBenchmarkSource(filePath: string, format: TBenchmarkFormat): TParsedBenchmark {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(filePath);
  } catch (error) {
    throw new BenchmarkFileError(`cannot read ${filePath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (format === "safecoder") {
    if (!stat.isDirectory()) throw new BenchmarkFileError(`safecoder scenarios are a folder (sec_eval_scenarios), got the file ${filePath}`);
    const { items, sourceHash } = parseSafecoderDir(filePath);
    return { format, kind: BENCHMARK_KIND[format], sourceHash, items: checkUnique(items, filePath) };
  }
  if (stat.isDirectory()) throw new BenchmarkFileError(`${filePath} is a folder; the ${format} format is one file`);
  const bytes = fs.readFileSync(filePath);
  const items = PARSERS[format](bytes.toString("utf8"), path.basename(filePath));
  if (items.length === 0) throw new BenchmarkFileError(`${filePath}: no ${format} items found`);
  return { format, kind: BENCHMARK_KIND[format], sourceHash: sha256(bytes), items: checkUnique(items, filePath) };
}

function checkUnique(items: TBenchmarkItemInput[], file: string): TBenchmarkItemInput[] {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.externalId)) throw new BenchmarkFileError(`${file}: the id ${item.externalId} appears twice`);
    seen.add(item.externalId);
  }
  return items;
}
