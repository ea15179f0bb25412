// Where callers get a tokenizer by id. Built-ins are OpenAI's byte-level BPEs (ranks ship with gpt-tokenizer, so
// they work offline); any Hugging Face model directory is addressed as "hf:<dir>" (or by a path).
// The default is cl100k_base: a real BPE trained with code in its corpus that keeps indentation runs together,
// unlike GPT-2's r50k_base (one token per space), which would inflate mask denominators on Python code.
import fs from "node:fs";
import { loadHuggingFaceTokenizer } from "./huggingface-tokenizer";
import { loadTiktokenBpe, type TiktokenName } from "./tiktoken-bpe";
import type { CodeTokenizer } from "./types";

export const DEFAULT_TOKENIZER_ID = "cl100k_base";

const BUILTINS: Record<string, { encoding: TiktokenName; description: string }> = {
  gpt2: { encoding: "r50k_base", description: "GPT-2 byte-level BPE (r50k_base, 50,257 tokens)" },
  r50k_base: { encoding: "r50k_base", description: "GPT-2 byte-level BPE (alias of gpt2)" },
  p50k_base: { encoding: "p50k_base", description: "Codex byte-level BPE (p50k_base: r50k plus whitespace runs)" },
  cl100k_base: { encoding: "cl100k_base", description: "GPT-3.5/4 byte-level BPE (cl100k_base, ~100k tokens)" },
  o200k_base: { encoding: "o200k_base", description: "GPT-4o byte-level BPE (o200k_base, ~200k tokens)" },
};

const loaded = new Map<string, Promise<CodeTokenizer>>();

export type TokenizerInfo = { id: string; description: string; loaded: boolean };

export function listTokenizers(): TokenizerInfo[] {
  const builtin = Object.entries(BUILTINS).map(([id, b]) => ({ id, description: b.description, loaded: loaded.has(id) }));
  const others = [...loaded.keys()]
    .filter((id) => !(id in BUILTINS))
    .map((id) => ({ id, description: "registered tokenizer", loaded: true }));
  return [...builtin, ...others];
}

/** Makes a tokenizer available under its id (e.g. one built in memory from a tokenizer.json object). */
export function registerTokenizer(tokenizer: CodeTokenizer): void {
  loaded.set(tokenizer.id, Promise.resolve(tokenizer));
}

/**
 * A tokenizer by id: a built-in name, "hf:<model dir or tokenizer.json>", a bare existing path, or an id given
 * to registerTokenizer. Loaded once and cached.
 */
export function loadTokenizer(id: string = DEFAULT_TOKENIZER_ID): Promise<CodeTokenizer> {
  const cached = loaded.get(id);
  if (cached) return cached;
  let pending: Promise<CodeTokenizer>;
  const builtin = BUILTINS[id];
  if (builtin) pending = loadTiktokenBpe(builtin.encoding, id);
  else if (id.startsWith("hf:")) pending = Promise.resolve().then(() => loadHuggingFaceTokenizer(id.slice(3), { id }));
  else if (fs.existsSync(id)) pending = Promise.resolve().then(() => loadHuggingFaceTokenizer(id, { id }));
  else {
    const known = Object.keys(BUILTINS).join(", ");
    return Promise.reject(new Error(`unknown tokenizer "${id}" (built-ins: ${known}; or "hf:<model dir>")`));
  }
  // A failed load is not cached, so a corrected file can be retried.
  pending = pending.catch((err: unknown) => {
    loaded.delete(id);
    throw err;
  });
  loaded.set(id, pending);
  return pending;
}

/**
 * Tokenizer ids a web request may name: the built-ins and those registered in this process. Paths and "hf:" ids
 * are for the CLI and the trainer only, so a browser can never make the server open a file of its choosing.
 */
export function isServableTokenizerId(id: string): boolean {
  return listTokenizers().some((tokenizer) => tokenizer.id === id);
}
