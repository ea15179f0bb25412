// The built-in tiny model: a real checkpoint directory, deterministic for a seed, created once, loadable by the
// model loader, and with a tokenizer that @huggingface/tokenizers and lib/tokenizers load and round-trip.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PAIRS } from "../../../lib/seed/demo-data";
import { loadTokenizer } from "../../../lib/tokenizers/registry";
import { readSafetensors } from "../safetensors";
import { initBackend, tf } from "../tf";
import { loadCausalLM } from "./load";
import { createTinyModel, ensureTinyModel, TINY_EOS_TOKEN, TINY_PAD_TOKEN, TINY_SHAPE } from "./tiny";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "disco-tiny-"));
let dir: string;

beforeAll(async () => {
  await initBackend(process.env.DISCO_TF_BACKEND === "cpu" ? "cpu" : "wasm");
  dir = ensureTinyModel(path.join(root, "tiny-llama"));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const bytes = (d: string, f: string) => fs.readFileSync(path.join(d, f));

describe("tiny model", () => {
  it("is a complete Hugging Face checkpoint directory, created once", () => {
    for (const f of ["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"]) expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
    const mtime = fs.statSync(path.join(dir, "model.safetensors")).mtimeMs;
    expect(ensureTinyModel(dir)).toBe(dir);
    expect(fs.statSync(path.join(dir, "model.safetensors")).mtimeMs).toBe(mtime);
    expect(readSafetensors(path.join(dir, "model.safetensors")).metadata).toEqual({ format: "pt" });
  });

  it("is byte-for-byte deterministic for a seed and differs across seeds", () => {
    const again = createTinyModel(path.join(root, "again"), { seed: 0 });
    for (const f of ["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"]) expect(bytes(again, f).equals(bytes(dir, f)), f).toBe(true);
    const other = createTinyModel(path.join(root, "other"), { seed: 1 });
    expect(bytes(other, "model.safetensors").equals(bytes(dir, "model.safetensors"))).toBe(false);
    expect(bytes(other, "tokenizer.json").equals(bytes(dir, "tokenizer.json"))).toBe(true);
    // a directory made with another seed is rebuilt when asked for seed 0
    expect(bytes(ensureTinyModel(other, { seed: 0 }), "model.safetensors").equals(bytes(dir, "model.safetensors"))).toBe(true);
  });

  it("loads as a llama whose vocabulary matches its tokenizer", async () => {
    const model = loadCausalLM(dir);
    expect(model.architecture).toBe("llama");
    expect(model.vocabSize).toBe(TINY_SHAPE.vocabSize);
    const tokenizer = await loadTokenizer(dir);
    expect(tokenizer.vocabSize).toBe(model.vocabSize);
    const ids = tokenizer.encodeIds(DEMO_PAIRS[0].secureCode);
    const logits = tf.tidy(() => model.forward(tf.tensor2d([ids.slice(0, 32)], undefined, "int32"), { training: false }));
    expect(logits.shape).toEqual([1, Math.min(32, ids.length), TINY_SHAPE.vocabSize]);
    expect(Number.isFinite(logits.max().dataSync()[0])).toBe(true);
    tf.dispose(logits);
    model.dispose();
  });

  it("has a tokenizer that round-trips Python code in a reasonable number of tokens", async () => {
    const json = JSON.parse(fs.readFileSync(path.join(dir, "tokenizer.json"), "utf8"));
    const config = JSON.parse(fs.readFileSync(path.join(dir, "tokenizer_config.json"), "utf8"));
    const direct = new Tokenizer(json, config);
    const viaLib = await loadTokenizer(dir);
    const modelConfig = JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8"));
    expect(direct.token_to_id(TINY_EOS_TOKEN)).toBe(modelConfig.eos_token_id);
    expect(direct.token_to_id(TINY_PAD_TOKEN)).toBe(modelConfig.pad_token_id);
    let tokens = 0;
    let chars = 0;
    const unseen = "import os\n\n\ndef read_config(path: str) -> dict:\n    with open(os.path.join('/etc', path)) as fh:\n        return {k: v for k, v in (line.split('=', 1) for line in fh)}\n";
    for (const text of [...DEMO_PAIRS.slice(0, 10).map((p) => p.insecureCode), unseen, "naïve 数据 🚀"]) {
      const ids = direct.encode(text, { add_special_tokens: false }).ids;
      expect(viaLib.encodeIds(text)).toEqual(ids);
      expect(direct.decode(ids, { skip_special_tokens: false })).toBe(text);
      expect(viaLib.encode(text).exact).toBe(true);
      tokens += ids.length;
      chars += text.length;
    }
    // byte-level BPE with 2k tokens learned on the demo code: well under one token per two characters
    expect(tokens / chars).toBeLessThan(0.45);
  });
});
