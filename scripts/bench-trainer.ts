// Trainer throughput and memory (issue 6, Performance): tokens per second of whole optimizer steps (forward +
// backward + AdamW update, LoRA r16 on every linear, the paper's settings) and peak memory, per method, for the
// built-in tiny model and a ~30M-parameter llama-shaped model on the wasm backend. Runs in its own process
// (`npm run bench` spawns it) so RSS is the trainer's alone.
//   tsx scripts/bench-trainer.ts [--steps N] [--models tiny,d256,30m] [--methods sft,dpo] [--backend wasm|cpu]
// Each row: one warm-up step, then N timed steps (default 2) of one micro-batch of 2 rows x 255 tokens (SFT: 2
// examples; preference methods: 1 pair = chosen + rejected rows). tokens/s counts real label tokens; peak tf bytes
// is tf.profile's peakBytes over one step (weights included); peak RSS is the process's resident set afterwards
// (the wasm heap only grows, so it is the high-water mark). tokens/CPU-s divides by the process's CPU time instead of
// the wall clock, which keeps the figure meaningful on a shared, loaded machine.
import { performance } from "node:perf_hooks";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { getPreset, TRAINING_METHODS, type TTrainConfig, type TTrainingMethod } from "../trainer/src/config";
import type { TTokenizedPair, TTokenizedSft } from "../trainer/src/data/types";
import { detachLora } from "../trainer/src/lora/attach";
import { loadCausalLM } from "../trainer/src/models/load";
import { createTinyModel } from "../trainer/src/models/tiny";
import { createRng } from "../trainer/src/nn/random";
import { initBackend, tf } from "../trainer/src/tf";
import type { TBackendName } from "../trainer/src/backends";
import { trainLoop } from "../trainer/src/train/loop";
import type { TExample } from "../trainer/src/train/methods";
import { writeRandomLlama } from "../trainer/src/train/test-support";

const { values: args } = parseArgs({
  options: {
    steps: { type: "string", default: "2" },
    models: { type: "string", default: "tiny,d256,30m" },
    methods: { type: "string", default: TRAINING_METHODS.join(",") },
    backend: { type: "string", default: "wasm" },
  },
});
const STEPS = Number(args.steps);
const PROMPT = 32;
const RESPONSE = 224; // prompt + response = 256 tokens, 255 predicted per row

type TBenchModel = { id: string; label: string; create(dir: string): string };
const MODELS: TBenchModel[] = [
  { id: "tiny", label: "tiny built-in (llama d128 x2, vocab 2048)", create: (dir) => createTinyModel(dir) },
  {
    // The shape environment.md's reference figures were measured on (d256, 4 layers, seq 256).
    id: "d256",
    label: "llama d256 x4, vocab 2048",
    create: (dir) => writeRandomLlama(dir, { vocab: 2048, hidden: 256, layers: 4, heads: 4, kvHeads: 4, intermediate: 688, maxPositions: 512 }),
  },
  {
    id: "30m",
    label: "llama d512 x4, vocab 16000",
    create: (dir) => writeRandomLlama(dir, { vocab: 16000, hidden: 512, layers: 4, heads: 8, kvHeads: 8, intermediate: 1376, maxPositions: 512 }),
  },
];

/** Random token ids with a few masked positions per response (masks only change which tokens LPO/SafeCoder weigh). */
function examples(method: TTrainingMethod, vocab: number, count: number): TExample[] {
  const rng = createRng(11);
  const ids = (n: number) => Array.from({ length: n }, () => 3 + Math.floor(rng() * (vocab - 3)));
  const mask = () => Array.from({ length: RESPONSE }, (_, i) => (i % 7 === 3 ? 1 : 0));
  return Array.from({ length: count }, (_, k): TExample => {
    const promptIds = ids(PROMPT);
    if (method === "sft") return { id: `s${k}`, cweId: null, language: "python", promptIds, responseIds: ids(RESPONSE), truncated: false } satisfies TTokenizedSft;
    return { id: `p${k}`, cweId: "CWE-78", language: "python", promptIds, chosenIds: ids(RESPONSE), chosenMask: mask(), rejectedIds: ids(RESPONSE), rejectedMask: mask(), truncated: false } satisfies TTokenizedPair;
  });
}

function benchConfig(method: TTrainingMethod, steps: number): TTrainConfig {
  const preset = getPreset(method).config;
  const micro = method === "sft" ? 2 : 1; // two rows per forward either way
  return { ...preset, effectiveBatchSize: micro, microBatchSize: micro, maxLength: 512, maxPromptLength: 64, maxSteps: steps, logEvery: 1, evalEvery: 0, checkpointEvery: 0 };
}

type TRow = { model: string; params: number; method: string; tokensPerSecond: number; tokensPerCpuSecond: number; secondsPerStep: number; peakTfBytes: number; rssBytes: number };

async function benchOne(modelDir: string, method: TTrainingMethod, runRoot: string): Promise<Omit<TRow, "model" | "params">> {
  const model = loadCausalLM(modelDir);
  try {
    const rows = method === "sft" ? 2 : 1;
    const data = examples(method, model.vocabSize, (STEPS + 1) * rows);
    // Clock and CPU time at the end of every step (onMetrics runs right after the update): steps 2..N+1 are timed.
    const marks: { step: number; wall: number; cpu: number }[] = [];
    const mark = (step: number) => {
      const cpu = process.cpuUsage();
      marks.push({ step, wall: performance.now(), cpu: (cpu.user + cpu.system) / 1e6 });
    };
    const timed = await trainLoop({
      model, runDir: path.join(runRoot, `${method}-timed`), config: benchConfig(method, STEPS + 1), train: data, val: [],
      padTokenId: 0, backend: tf.getBackend(), baseModel: modelDir, parentAdapter: null,
      hooks: { onMetrics: (points) => mark(points[0]!.step) },
    });
    if (timed.status !== "succeeded") throw new Error(`${method}: timed run ${timed.status}`);
    detachLora(model);
    // Peak over one more step, measured apart: tf.profile's per-kernel bookkeeping would distort the timing.
    const profile = await tf.profile(async () => {
      await trainLoop({
        model, runDir: path.join(runRoot, `${method}-profiled`), config: benchConfig(method, 1), train: data.slice(0, rows), val: [],
        padTokenId: 0, backend: tf.getBackend(), baseModel: modelDir, parentAdapter: null, hooks: {},
      });
      return [];
    });
    detachLora(model);
    const first = marks[0]!;
    const last = marks[marks.length - 1]!;
    const tokens = (last.step - first.step) * 2 * (PROMPT + RESPONSE - 1);
    const seconds = (last.wall - first.wall) / 1000;
    return {
      method,
      tokensPerSecond: tokens / seconds,
      tokensPerCpuSecond: tokens / (last.cpu - first.cpu),
      secondsPerStep: seconds / (last.step - first.step),
      peakTfBytes: profile.peakBytes,
      rssBytes: process.memoryUsage().rss,
    };
  } finally {
    model.dispose();
  }
}

export async function benchTrainer(): Promise<TRow[]> {
  const backend = await initBackend(args.backend as TBackendName);
  if (backend !== args.backend) throw new Error(`backend ${args.backend} is not available here (got ${backend})`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "disco-bench-trainer-"));
  const wanted = new Set(args.models!.split(","));
  const methods = args.methods!.split(",") as TTrainingMethod[];
  const out: TRow[] = [];
  try {
    for (const spec of MODELS.filter((m) => wanted.has(m.id))) {
      const dir = spec.create(path.join(root, spec.id));
      const probe = loadCausalLM(dir);
      const params = [...probe.namedWeights().values()].reduce((n, w) => n + w.size, 0);
      probe.dispose();
      for (const method of methods) {
        console.error(`  ${spec.id} ${method}…`);
        out.push({ model: spec.label, params, ...(await benchOne(dir, method, path.join(root, `${spec.id}-runs`))) });
      }
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  return out;
}

const rows = await benchTrainer();
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const header = ["model", "params", "method", "tokens/s", "tokens/CPU-s", "s/step", "peak tf MiB", "peak RSS MiB"];
const cells = rows.map((r) => [r.model, `${(r.params / 1e6).toFixed(1)}M`, r.method, r.tokensPerSecond.toFixed(0), r.tokensPerCpuSecond.toFixed(0), r.secondsPerStep.toFixed(2), mib(r.peakTfBytes), mib(r.rssBytes)]);
const widths = header.map((title, i) => Math.max(title.length, ...cells.map((c) => c[i]!.length)));
const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join("  ");
console.log(`trainer on ${args.backend}: LoRA r16 all-linear, AdamW, 2 rows x ${PROMPT + RESPONSE - 1} tokens per step, ${STEPS} timed steps after 1 warm-up (forward + backward + update)`);
console.log(`tokens/CPU-s divides by this process's CPU time: wasm computes on one thread, so it approximates an unloaded core (load average now ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)`);
console.log("reference (environment.md, d256 x4 at seq 256): wasm as shipped ~104 tok/s, with the 2-D matmul fix ~830-1,260 tok/s; PyTorch ~2,700-9,000");
console.log(line(header));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const c of cells) console.log(line(c));
