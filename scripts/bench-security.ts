// Benchmarks for the security engine: token masks, tokenization, Python syntax checks and Bandit at dataset scale.
// `benchSecurity()` returns rows for scripts that collect benchmarks; run directly (npx tsx scripts/bench-security.ts)
// it prints a table. Inputs are DiSCo-Test pairs cycled to the requested count when the shared data is present,
// otherwise synthetic ~20-line pairs of the same shape.
import os from "node:os";
import { pathToFileURL } from "node:url";
import { detectBandit, runBandit } from "../lib/analyzers/bandit";
import type { CodePair } from "../lib/masks/dataset-stats";
import { readDiscoTestPairs } from "../lib/masks/fixtures/disco-test-pairs";
import { computeTokenMasks } from "../lib/masks/token-masks";
import { PythonSyntaxChecker, detectPython } from "../lib/python/syntax-checker";
import { loadTokenizer } from "../lib/tokenizers/registry";

export type BenchRow = { name: string; value: number; unit: string; target: string };

export type BenchOptions = {
  pairs?: number;
  banditSnippets?: number;
  tokenizer?: string;
  /** Skip the Bandit row (it takes the longest). */
  skipBandit?: boolean;
};

function syntheticPair(k: number): CodePair {
  const body = Array.from({ length: 16 }, (_, i) => `    value_${i} = compute(item, ${i + k}) + offset`).join("\n");
  const insecure = `import os\nimport subprocess\n\ndef handle_${k}(item, offset):\n${body}\n    os.system("convert " + item)\n    return value_3\n`;
  const secure = `import os\nimport shlex\nimport subprocess\n\ndef handle_${k}(item, offset):\n${body}\n    subprocess.run(["convert", item], check=True)\n    return value_3\n`;
  return { insecure, secure };
}

function inputPairs(n: number): { pairs: CodePair[]; source: string } {
  const disco = readDiscoTestPairs();
  const base = disco.rows ?? Array.from({ length: 200 }, (_, k) => syntheticPair(k));
  return {
    pairs: Array.from({ length: n }, (_, k) => base[k % base.length]),
    source: disco.rows ? "DiSCo-Test pairs, cycled" : "synthetic 20-line pairs",
  };
}

const seconds = (ms: number) => Math.round(ms / 10) / 100;

export async function benchSecurity(options: BenchOptions = {}): Promise<BenchRow[]> {
  const nPairs = options.pairs ?? 10_000;
  const nBandit = options.banditSnippets ?? 10_000;
  const rows: BenchRow[] = [];
  const { pairs, source } = inputPairs(nPairs);
  const tokenizer = await loadTokenizer(options.tokenizer);

  let t0 = performance.now();
  const ids = pairs.map((p) => [tokenizer.encodeIds(p.insecure), tokenizer.encodeIds(p.secure)] as const);
  rows.push({
    name: `tokenize ${(2 * nPairs).toLocaleString("en")} snippets (${tokenizer.id}; ${source})`,
    value: seconds(performance.now() - t0),
    unit: "s",
    target: "-",
  });

  t0 = performance.now();
  let marked = 0;
  for (const [rejected, chosen] of ids) {
    const m = computeTokenMasks(rejected, chosen);
    marked += m.rejected.length + m.chosen.length;
  }
  if (marked === 0) throw new Error("no tokens were masked: the benchmark input is empty");
  rows.push({
    name: `masks for ${nPairs.toLocaleString("en")} pairs of DiSCo size (ndiff parity port)`,
    value: seconds(performance.now() - t0),
    unit: "s",
    target: "<= 10 s on 2 cores",
  });

  if (detectPython().available) {
    const checker = new PythonSyntaxChecker();
    const codes = pairs.map((p) => p.secure);
    await checker.version();
    t0 = performance.now();
    await checker.checkMany(codes);
    rows.push({
      name: `python ast.parse check of ${codes.length.toLocaleString("en")} snippets (one process)`,
      value: seconds(performance.now() - t0),
      unit: "s",
      target: "-",
    });
    await checker.close();
  }

  if (!options.skipBandit) {
    const bandit = await detectBandit();
    if (bandit.available) {
      const snippets = Array.from({ length: nBandit }, (_, k) => pairs[k % pairs.length].insecure);
      const res = await runBandit(snippets);
      rows.push({
        name: `bandit ${bandit.version} on ${nBandit.toLocaleString("en")} snippets (${Math.min(os.availableParallelism(), Math.ceil(nBandit / 500))} processes)`,
        value: seconds(res.durationMs),
        unit: "s",
        target: "<= 20 s on 2 cores",
      });
    } else {
      rows.push({ name: "bandit (not installed: skipped)", value: NaN, unit: "s", target: "<= 20 s on 2 cores" });
    }
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchSecurity();
  console.log(`security engine benchmarks: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "unknown"}), Node ${process.version}`);
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    console.log(`${r.name.padEnd(width)}  ${String(r.value).padStart(7)} ${r.unit}   target ${r.target}`);
  }
}
