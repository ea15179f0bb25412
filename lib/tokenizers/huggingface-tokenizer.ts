// Any Hugging Face `tokenizer.json` (the file every model directory on the Hub carries), encoded by
// @huggingface/tokenizers (pure JS). That library returns ids and token strings but no offsets, so each token
// string is turned back into the bytes it stands for, following the tokenizer's own conventions (byte-level
// alphabet, SentencePiece's "▁" and <0xNN> byte fallback, WordPiece's "##"), and aligned with the input.
import fs from "node:fs";
import path from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";
import { alignTokenOffsets, type TokenSurface } from "./align-offsets";
import type { CodeTokenizer, TokenEncoding } from "./types";

type Json = Record<string, unknown>;

/** GPT-2's bytes_to_unicode, inverted: the printable stand-in character of a byte-level token -> the byte. */
function byteLevelDecoder(): Map<string, number> {
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n);
      n++;
    }
  }
  const map = new Map<string, number>();
  bs.forEach((b, k) => map.set(String.fromCharCode(cs[k]), b));
  return map;
}

const BYTE_LEVEL = byteLevelDecoder();
const BYTE_FALLBACK = /^<0x([0-9A-Fa-f]{2})>$/;
const utf8 = new TextEncoder();

/** Components of a tokenizer.json section, flattening `Sequence` wrappers. */
function components(section: unknown): Json[] {
  if (!section || typeof section !== "object") return [];
  const s = section as Json;
  const inner = (s.pretokenizers ?? s.decoders ?? s.normalizers ?? s.processors) as unknown;
  if (s.type === "Sequence" && Array.isArray(inner)) return inner.flatMap(components);
  return [s];
}

export type SurfaceRules = {
  byteLevel: boolean;
  /** SentencePiece's word-boundary character ("▁"), when the tokenizer uses one. */
  metaspace: string | null;
  byteFallback: boolean;
  /** WordPiece's continuing-subword prefix ("##"), when the model is WordPiece. */
  subwordPrefix: string | null;
  /** Whether the tokenizer may invent a leading space (SentencePiece dummy prefix). */
  dummyPrefix: boolean;
};

export function surfaceRulesOf(json: Json): SurfaceRules {
  const parts = [
    ...components(json.normalizer),
    ...components(json.pre_tokenizer),
    ...components(json.decoder),
  ];
  const model = (json.model ?? {}) as Json;
  const byteLevel = parts.some((p) => p.type === "ByteLevel");
  let metaspace: string | null = null;
  let dummyPrefix = false;
  for (const p of parts) {
    if (p.type === "Metaspace") {
      metaspace = (p.replacement as string) ?? "▁";
      const scheme = p.prepend_scheme as string | undefined;
      if (p.add_prefix_space === true || scheme === "always" || scheme === "first") dummyPrefix = true;
    } else if (p.type === "Replace" && typeof p.content === "string" && p.content === "▁") metaspace = "▁";
    else if (p.type === "Replace" && (p.pattern as Json | undefined)?.String === "▁") metaspace = "▁";
    else if (p.type === "Prepend") dummyPrefix = true;
  }
  const subwordPrefix =
    model.type === "WordPiece" ? ((model.continuing_subword_prefix as string | undefined) ?? "##") : null;
  return { byteLevel, metaspace, byteFallback: model.byte_fallback === true, subwordPrefix, dummyPrefix };
}

/** The bytes a token string stands for in the original text, under the tokenizer's conventions. */
export function surfaceOfToken(token: string, rules: SurfaceRules): Uint8Array {
  if (rules.byteLevel) {
    const out: number[] = [];
    for (const ch of token) {
      const b = BYTE_LEVEL.get(ch);
      if (b !== undefined) out.push(b);
      else out.push(...utf8.encode(ch));
    }
    return Uint8Array.from(out);
  }
  if (rules.byteFallback) {
    const m = BYTE_FALLBACK.exec(token);
    if (m) return Uint8Array.of(parseInt(m[1], 16));
  }
  let s = token;
  if (rules.subwordPrefix && s.startsWith(rules.subwordPrefix) && s.length > rules.subwordPrefix.length) {
    s = s.slice(rules.subwordPrefix.length);
  }
  if (rules.metaspace) s = s.split(rules.metaspace).join(" ");
  return utf8.encode(s);
}

export type HfTokenizerOptions = {
  /** Add the post-processor's special tokens (BOS...). Off by default: masks and spans are about the code. */
  addSpecialTokens?: boolean;
};

export class HuggingFaceTokenizer implements CodeTokenizer {
  readonly kind = "huggingface" as const;
  readonly vocabSize: number;
  private readonly tokenizer: Tokenizer;
  private readonly rules: SurfaceRules;
  private readonly specialIds: Set<number>;
  private readonly addSpecialTokens: boolean;

  constructor(
    readonly id: string,
    tokenizerJson: Json,
    tokenizerConfig: Json = {},
    options: HfTokenizerOptions = {},
  ) {
    this.tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
    this.rules = surfaceRulesOf(tokenizerJson);
    const added = (Array.isArray(tokenizerJson.added_tokens) ? tokenizerJson.added_tokens : []) as Json[];
    this.specialIds = new Set(added.filter((t) => t.special === true).map((t) => t.id as number));
    this.vocabSize = this.tokenizer.get_vocab(true).size;
    this.addSpecialTokens = options.addSpecialTokens ?? false;
  }

  encodeIds(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: this.addSpecialTokens }).ids;
  }

  encode(text: string): TokenEncoding {
    const enc = this.tokenizer.encode(text, { add_special_tokens: this.addSpecialTokens });
    const surfaces: TokenSurface[] = enc.ids.map((id, k) => {
      const token = enc.tokens[k];
      if (this.specialIds.has(id)) return { bytes: utf8.encode(token), optional: true };
      return { bytes: surfaceOfToken(token, this.rules), mayDropLeadingSpace: this.rules.dummyPrefix };
    });
    const { offsets, exact } = alignTokenOffsets(text, surfaces);
    return { ids: enc.ids, offsets, exact };
  }

  decode(ids: readonly number[]): string {
    return this.tokenizer.decode([...ids], { skip_special_tokens: false });
  }
}

/**
 * Loads a tokenizer from a model directory (tokenizer.json, optional tokenizer_config.json) or from the path of
 * a tokenizer.json itself.
 */
export function loadHuggingFaceTokenizer(
  location: string,
  options: HfTokenizerOptions & { id?: string } = {},
): HuggingFaceTokenizer {
  const stat = fs.statSync(location);
  const dir = stat.isDirectory() ? location : path.dirname(location);
  const file = stat.isDirectory() ? path.join(location, "tokenizer.json") : location;
  if (!fs.existsSync(file)) throw new Error(`no tokenizer.json in ${location}`);
  const json = JSON.parse(fs.readFileSync(file, "utf8")) as Json;
  const configFile = path.join(dir, "tokenizer_config.json");
  const config = fs.existsSync(configFile) ? (JSON.parse(fs.readFileSync(configFile, "utf8")) as Json) : {};
  return new HuggingFaceTokenizer(options.id ?? `hf:${path.resolve(dir)}`, json, config, options);
}
