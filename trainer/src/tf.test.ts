// Backend selection: the best installed backend is chosen (here tfjs-node has no native binding, so wasm), an
// explicit preference is honoured, and the choice is reported.
import { describe, expect, it } from "vitest";
import { detectBackends } from "./backends";
import { activeBackend, initBackend, tf } from "./tf";

describe("initBackend", () => {
  it("picks the first available backend in the preference order and honours an explicit choice", async () => {
    const best = detectBackends().find((b) => b.available)?.name ?? "cpu";
    const chosen = await initBackend();
    expect(chosen).toBe(best);
    expect(activeBackend()).toBe(best);
    expect(await initBackend("cpu")).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    expect(await initBackend("wasm")).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
    // the wasm backend computes (its binary was found on disk)
    expect(Array.from(tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()))).toEqual([11]);
  });
});
