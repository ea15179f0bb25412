// The one module that imports TensorFlow.js, and the one place a backend is chosen. The full `@tensorflow/tfjs`
// package is imported (not tfjs-core) because only it registers the gradients training needs.
// Backend order follows backends.ts: tfjs-node-gpu, tfjs-node, wasm, cpu (the first two are optional packages
// users install on GPU machines; here only wasm and cpu exist).
import { createRequire } from "node:module";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { BACKEND_PREFERENCE, detectBackends, type TBackendName } from "./backends";
import { projectRoot } from "../../lib/project-root";

export { tf };

// tfjs-node registers its backend as "tensorflow" for both the CPU and the GPU package.
const TFJS_BACKEND_ID: Record<TBackendName, string> = { "tensorflow-gpu": "tensorflow", tensorflow: "tensorflow", wasm: "wasm", cpu: "cpu" };

let wasmRegistered = false;

async function registerWasm(): Promise<void> {
  if (wasmRegistered) return;
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  // In Node the .wasm binaries are read from disk: point tfjs at the package's dist folder explicitly, because
  // bundlers and tsx may rewrite the module's own location.
  const require = createRequire(path.join(projectRoot(), "trainer", "package.json"));
  const dist = path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + path.sep;
  wasm.setWasmPaths(dist);
  registerWasmExtraKernels();
  wasmRegistered = true;
}

/**
 * wasm has no UnsortedSegmentSum kernel (the gradient of `gather`, needed for trainable embeddings or gather-based
 * log-probs). We register one that computes on the host: read the inputs, sum rows into segments in plain JS, and
 * write the result back. It is a sync point, but the tensors involved are small (rows x hidden) next to the matmuls.
 */
function registerWasmExtraKernels(): void {
  if (tf.getKernel("UnsortedSegmentSum", "wasm")) return;
  tf.registerKernel({
    kernelName: "UnsortedSegmentSum",
    backendName: "wasm",
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const { numSegments } = attrs as unknown as { numSegments: number };
      const b = backend as unknown as {
        readSync(dataId: object): ArrayLike<number>;
        makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
        typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array;
      };
      const xs = b.readSync(x.dataId);
      const ids = b.readSync(segmentIds.dataId);
      // x: [n, ...rest] with segmentIds [n] (gather's gradient always flattens to this form), or segmentIds shaped
      // like a prefix of x in general: rows are the trailing elements after segmentIds' dims.
      const idCount = segmentIds.shape.reduce((p, d) => p * d, 1);
      const rowSize = idCount === 0 ? 0 : x.shape.reduce((p, d) => p * d, 1) / idCount;
      const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
      const out = b.makeOutput(outShape, x.dtype);
      const values = b.typedArrayFromHeap(out);
      values.fill(0);
      for (let i = 0; i < idCount; i++) {
        const seg = ids[i];
        if (seg < 0 || seg >= numSegments) continue; // TensorFlow drops out-of-range segment ids
        const src = i * rowSize;
        const dst = seg * rowSize;
        for (let j = 0; j < rowSize; j++) values[dst + j] += xs[src + j];
      }
      return out;
    },
  });
}

async function tryBackend(name: TBackendName): Promise<boolean> {
  try {
    if (name === "tensorflow-gpu") await import(/* webpackIgnore: true */ "@tensorflow/tfjs-node-gpu" as string);
    else if (name === "tensorflow") await import(/* webpackIgnore: true */ "@tensorflow/tfjs-node" as string);
    else if (name === "wasm") await registerWasm();
    return await tf.setBackend(TFJS_BACKEND_ID[name]);
  } catch {
    return false;
  }
}

let active: TBackendName | null = null;

/**
 * Selects the best backend this machine can run (or `preferred` when it is available) and returns its name.
 * Idempotent: a second call with no preference keeps the backend already chosen.
 */
export async function initBackend(preferred?: TBackendName): Promise<TBackendName> {
  if (active && (!preferred || preferred === active)) return active;
  const available = new Set(detectBackends().filter((b) => b.available).map((b) => b.name));
  available.add("cpu"); // ships inside @tensorflow/tfjs
  const order = preferred ? [preferred, ...BACKEND_PREFERENCE.filter((n) => n !== preferred)] : [...BACKEND_PREFERENCE];
  for (const name of order) {
    if (!available.has(name)) continue;
    if (await tryBackend(name)) {
      await tf.ready();
      active = name;
      return name;
    }
  }
  throw new Error(`No TensorFlow.js backend could be initialised (tried ${order.join(", ")})`);
}

/** The backend chosen by initBackend, or null before it ran. */
export function activeBackend(): TBackendName | null {
  return active;
}
