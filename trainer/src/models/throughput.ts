// Forward + backward throughput of a causal LM with LoRA-style adapters on every projection (tokens per second),
// for the bench and for comparing attention layouts. Adapters are attached directly through the ILinear contract
// (r 16, B random so gradients flow everywhere) and removed afterwards; the loss is next-token cross-entropy.
import { performance } from "node:perf_hooks";
import { tf } from "../tf";
import type { ICausalLM } from "./types";

/**
 * tokensPerSecond is wall-clock; tokensPerCpuSecond divides by this process's CPU time instead, which on a shared,
 * busy machine estimates what one idle core would do (wasm runs on one thread in Node).
 */
export type TThroughput = { tokensPerSecond: number; tokensPerCpuSecond: number; secondsPerStep: number; steps: number; batch: number; seq: number; backend: string };

export function measureTrainThroughput(model: ICausalLM, options: { batch: number; seq: number; steps: number; warmup?: number; rank?: number; seed?: number }): TThroughput {
  const { batch, seq, steps } = options;
  const rank = options.rank ?? 16;
  const attached: tf.Variable[] = [];
  let k = 0;
  for (const linear of model.linears().values()) {
    const a = tf.tidy(() => tf.variable(tf.randomNormal([rank, linear.inFeatures], 0, 0.02, "float32", k++)));
    const b = tf.tidy(() => tf.variable(tf.randomNormal([linear.outFeatures, rank], 0, 0.02, "float32", k++)));
    linear.lora = { a, b, scale: 2, dropout: 0.05 };
    attached.push(a, b);
  }
  const ids = tf.randomUniform([batch, seq], 0, model.vocabSize, "int32", options.seed ?? 1) as tf.Tensor2D;
  const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.slice(ids, [0, 1], [-1, -1]).reshape([-1]), model.vocabSize), "float32"));
  const step = (i: number) => {
    const { value, grads } = tf.variableGrads(() => {
      const logits = model.forward(ids, { training: true, seed: i });
      const shifted = tf.slice(logits, [0, 0, 0], [-1, seq - 1, -1]).reshape([-1, model.vocabSize]);
      return tf.losses.softmaxCrossEntropy(labels, shifted) as tf.Scalar;
    }, attached);
    // reading the loss forces every queued kernel to finish before the clock stops
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };
  try {
    for (let i = 0; i < (options.warmup ?? 1); i++) step(-1 - i);
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    for (let i = 0; i < steps; i++) step(i);
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const tokens = batch * seq * steps;
    return { tokensPerSecond: tokens / seconds, tokensPerCpuSecond: tokens / cpuSeconds, secondsPerStep: seconds / steps, steps, batch, seq, backend: tf.getBackend() };
  } finally {
    for (const linear of model.linears().values()) linear.lora = null;
    tf.dispose([ids, labels, ...attached]);
  }
}
