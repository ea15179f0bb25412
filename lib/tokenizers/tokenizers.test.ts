import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readDiscoTestPairs } from "../masks/fixtures/disco-test-pairs";
import { buildByteCharMap } from "./align-offsets";
import { HuggingFaceTokenizer } from "./huggingface-tokenizer";
import { DEFAULT_TOKENIZER_ID, listTokenizers, loadTokenizer, registerTokenizer } from "./registry";
import type { CodeTokenizer, TokenEncoding } from "./types";

const utf8 = new TextEncoder();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "disco-tokenizers-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** GPT-2's byte -> printable character table, written out independently of the code under test. */
function byteToUnicode(): Map<number, string> {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++)
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  return new Map(bs.map((b, k) => [b, String.fromCharCode(cs[k])]));
}

/** A tiny byte-level BPE tokenizer.json (GPT-2 layout) with a merge that splits "世" after its second byte. */
function byteLevelTokenizerJson(normalizer: unknown = null) {
  const b2u = byteToUnicode();
  const vocab: Record<string, number> = {};
  for (let b = 0; b < 256; b++) vocab[b2u.get(b)!] = b;
  const merges: string[] = [];
  const merge = (x: string, y: string) => {
    merges.push(`${x} ${y}`);
    vocab[x + y] = Object.keys(vocab).length;
  };
  const sym = (s: string) => Array.from(utf8.encode(s), (b) => b2u.get(b)!).join("");
  merge(sym(" "), "x"); // 256 "Ġx"
  merge("d", "e"); // 257
  merge("de", "f"); // 258 "def"
  const shi = sym("世");
  merge(shi[0], shi[1]); // 259: the first two of the three bytes of 世
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [
      { id: 260, content: "<|endoftext|>", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    ],
    normalizer,
    pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: "",
      end_of_word_suffix: "",
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges,
    },
  };
}

/** A tiny SentencePiece-style (Llama 2 layout) tokenizer.json: "▁" for spaces, <0xNN> byte fallback, BOS. */
function sentencePieceTokenizerJson() {
  const vocab: Record<string, number> = { "<unk>": 0, "<s>": 1, "</s>": 2 };
  for (let b = 0; b < 256; b++) vocab[`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`] = 3 + b;
  const pieces = ["▁", "d", "e", "f", "x", "r", "t", "u", "n", "(", ")", ":", "de", "def", "▁def", "▁x"];
  for (const p of pieces) vocab[p] = Object.keys(vocab).length;
  const merges = ["d e", "de f", "▁ def", "▁ x"];
  const special = (id: number, content: string) => ({
    id,
    content,
    special: true,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
  });
  return {
    version: "1.0",
    added_tokens: [special(0, "<unk>"), special(1, "<s>"), special(2, "</s>")],
    normalizer: {
      type: "Sequence",
      normalizers: [
        { type: "Prepend", prepend: "▁" },
        { type: "Replace", pattern: { String: " " }, content: "▁" },
      ],
    },
    pre_tokenizer: null,
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
      pair: [],
      special_tokens: { "<s>": { id: "<s>", ids: [1], tokens: ["<s>"] } },
    },
    decoder: {
      type: "Sequence",
      decoders: [
        { type: "Replace", pattern: { String: "▁" }, content: " " },
        { type: "ByteFallback" },
        { type: "Fuse" },
        { type: "Strip", content: " ", start: 1, stop: 0 },
      ],
    },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: "<unk>",
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab,
      merges,
    },
  };
}

const disco = readDiscoTestPairs();
if (!disco.rows) console.warn(`[tokenizers] DiSCo-Test checks skipped: ${disco.reason}`);

const pieces = (text: string, enc: TokenEncoding) => enc.offsets.map(([s, e]) => text.slice(s, e));

/**
 * Checks the offsets rule independently of the implementation, given each token's bytes: the token's bytes lie
 * inside its span, and the span is minimal (its first and last characters each hold one of the token's bytes).
 */
function expectCoveringSpans(text: string, enc: TokenEncoding, bytesOf: (k: number) => Uint8Array): void {
  const byteAt = (u: number) => utf8.encode(text.slice(0, u)).length;
  let b = 0;
  enc.ids.forEach((_, k) => {
    const [s, e] = enc.offsets[k];
    const len = bytesOf(k).length;
    if (len === 0) {
      expect(e).toBe(s);
      return;
    }
    expect(byteAt(s)).toBeLessThanOrEqual(b);
    expect(byteAt(e)).toBeGreaterThanOrEqual(b + len);
    const firstCharEnd = s + (text.codePointAt(s)! > 0xffff ? 2 : 1);
    expect(byteAt(firstCharEnd)).toBeGreaterThan(b);
    const lastCharStart = e - (e >= 2 && /[\udc00-\udfff]/.test(text[e - 1]) ? 2 : 1);
    expect(byteAt(lastCharStart)).toBeLessThan(b + len);
    b += len;
  });
  expect(b).toBe(utf8.encode(text).length);
}

describe("built-in BPE tokenizers (gpt-tokenizer ranks, offline)", () => {
  it("lists the built-ins and defaults to cl100k_base", async () => {
    expect(listTokenizers().map((t) => t.id)).toEqual(expect.arrayContaining(["gpt2", "cl100k_base", "o200k_base"]));
    expect(DEFAULT_TOKENIZER_ID).toBe("cl100k_base");
    const tok = await loadTokenizer();
    expect(tok.id).toBe("cl100k_base");
    expect(await loadTokenizer()).toBe(tok);
  });

  it("encodes GPT-2's known ids and decodes back", async () => {
    const gpt2 = await loadTokenizer("gpt2");
    // GPT-2: "Hello" = 15496, " world" = 995 (well-known ids).
    expect(gpt2.encodeIds("Hello world")).toEqual([15496, 995]);
    expect(gpt2.decode([15496, 995])).toBe("Hello world");
  });

  it("treats special-token text inside code as text", async () => {
    const tok = await loadTokenizer("cl100k_base");
    const text = 'marker = "<|endoftext|>"';
    const enc = tok.encode(text);
    expect(enc.ids).not.toContain(100257);
    expect(tok.decode(enc.ids)).toBe(text);
  });

  it("gives every token the whole characters it covers, with multi-byte characters split across tokens", async () => {
    for (const id of ["gpt2", "cl100k_base"]) {
      const tok = (await loadTokenizer(id)) as CodeTokenizer & { tokenBytes(id: number): Uint8Array };
      const text = "def f(s):\n    return s + '世界 naïve 😀 ✓' # ok\r\n\tx\u00a0=1";
      const enc = tok.encode(text);
      expect(enc.exact).toBe(true);
      expect(enc.ids).toEqual(tok.encodeIds(text));
      expectCoveringSpans(text, enc, (k) => tok.tokenBytes(enc.ids[k]));
      // The emoji is 4 bytes in UTF-8 and 2 UTF-16 units: a token holding any of its bytes covers both units.
      const emoji = text.indexOf("😀");
      const onEmoji = enc.offsets.filter(([s, e]) => s <= emoji && e > emoji);
      expect(onEmoji.length).toBeGreaterThan(0);
      for (const [s, e] of onEmoji) expect(e).toBeGreaterThanOrEqual(emoji + 2);
    }
  });

  it.skipIf(!disco.rows)("covers real DiSCo code exactly", async () => {
    const tok = (await loadTokenizer()) as CodeTokenizer & { tokenBytes(id: number): Uint8Array };
    for (const row of disco.rows!.slice(0, 40)) {
      const enc = tok.encode(row.secure);
      expectCoveringSpans(row.secure, enc, (k) => tok.tokenBytes(enc.ids[k]));
      expect(pieces(row.secure, enc).join("")).toBe(row.secure); // DiSCo code is ASCII: spans partition it
    }
  });

  it("rejects unknown ids with the list of built-ins", async () => {
    await expect(loadTokenizer("no-such-tokenizer")).rejects.toThrow(/built-ins: gpt2/);
  });
});

describe("Hugging Face tokenizer.json", () => {
  it("loads a byte-level BPE from a model directory and maps tokens to exact character spans", async () => {
    const dir = path.join(tmp, "byte-level");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "tokenizer.json"), JSON.stringify(byteLevelTokenizerJson()));
    const tok = await loadTokenizer(`hf:${dir}`);
    expect(tok.kind).toBe("huggingface");
    expect(tok.vocabSize).toBe(261);
    const text = "def x 世é";
    const enc = tok.encode(text);
    // def | Ġx | Ġ | 世[bytes 1-2] | 世[byte 3] | é[byte 1] | é[byte 2]
    expect(enc.ids).toEqual([258, 256, 32, 259, 150, 195, 169]);
    expect(enc.exact).toBe(true);
    expect(pieces(text, enc)).toEqual(["def", " x", " ", "世", "世", "é", "é"]);
    expect(tok.decode(enc.ids)).toBe(text);
  });

  it("gives a special token found in the text its literal span", async () => {
    const tok = new HuggingFaceTokenizer("t", byteLevelTokenizerJson());
    const text = "x<|endoftext|>def";
    const enc = tok.encode(text);
    expect(enc.ids).toEqual([120, 260, 258]);
    expect(pieces(text, enc)).toEqual(["x", "<|endoftext|>", "def"]);
  });

  it("handles SentencePiece conventions: dummy-prefix '▁', <0xNN> byte fallback, an added BOS", () => {
    const json = sentencePieceTokenizerJson();
    const text = "def x():\n é";
    const plain = new HuggingFaceTokenizer("sp", json).encode(text);
    expect(plain.exact).toBe(true);
    // ▁def (invented leading space dropped) | ▁x | ( | ) | : | <0x0A> | ▁ | <0xC3> | <0xA9>
    expect(pieces(text, plain)).toEqual(["def", " x", "(", ")", ":", "\n", " ", "é", "é"]);
    const withBos = new HuggingFaceTokenizer("sp", json, {}, { addSpecialTokens: true }).encode(text);
    expect(withBos.ids[0]).toBe(1);
    expect(withBos.offsets[0]).toEqual([0, 0]);
    expect(withBos.offsets.slice(1)).toEqual(plain.offsets);
  });

  it("falls back to approximate alignment when a normalizer rewrites the text", () => {
    const tok = new HuggingFaceTokenizer("lower", byteLevelTokenizerJson({ type: "Lowercase" }));
    const text = "DEF X";
    const enc = tok.encode(text);
    expect(enc.ids).toEqual([258, 256]);
    expect(enc.exact).toBe(false);
    expect(pieces(text, enc)).toEqual(["DEF", " X"]);
  });

  it("can be registered under its own id and loaded from a tokenizer.json path", async () => {
    const file = path.join(tmp, "direct.json");
    fs.writeFileSync(file, JSON.stringify(byteLevelTokenizerJson()));
    const byPath = await loadTokenizer(file);
    expect(byPath.encodeIds("def")).toEqual([258]);
    registerTokenizer(new HuggingFaceTokenizer("my-model", byteLevelTokenizerJson()));
    expect((await loadTokenizer("my-model")).encodeIds(" x")).toEqual([256]);
  });
});

describe("byte to character map", () => {
  it("maps every UTF-8 byte to its character's UTF-16 span, lone surrogates included", () => {
    const map = buildByteCharMap("aé😀\ud800b");
    expect(Array.from(map.charStart)).toEqual([0, 1, 1, 2, 2, 2, 2, 4, 4, 4, 5]);
    expect(Array.from(map.charEnd)).toEqual([1, 2, 2, 4, 4, 4, 4, 5, 5, 5, 6]);
  });
});
