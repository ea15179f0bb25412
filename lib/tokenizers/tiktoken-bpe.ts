// OpenAI's byte-level BPEs (GPT-2's r50k_base, p50k_base, cl100k_base, o200k_base) through gpt-tokenizer,
// which ships the merge ranks, so masks work offline with no model download.
// gpt-tokenizer returns ids only; offsets come from each rank's byte string (the rank tables store a token as
// its text, or as raw bytes when it is not valid UTF-8 on its own).
import type { GptEncoding } from "gpt-tokenizer/GptEncoding";
import { alignTokenOffsets, type TokenSurface } from "./align-offsets";
import type { CodeTokenizer, TokenEncoding } from "./types";

export type TiktokenName = "r50k_base" | "p50k_base" | "cl100k_base" | "o200k_base";

type RankTable = readonly (string | number[])[];

// Static specifiers so bundlers can see every table; each is loaded only when asked for.
const loaders: Record<TiktokenName, () => Promise<[{ default: GptEncoding }, { default: RankTable }]>> = {
  r50k_base: () => Promise.all([import("gpt-tokenizer/encoding/r50k_base"), import("gpt-tokenizer/bpeRanks/r50k_base")]),
  p50k_base: () => Promise.all([import("gpt-tokenizer/encoding/p50k_base"), import("gpt-tokenizer/bpeRanks/p50k_base")]),
  cl100k_base: () =>
    Promise.all([import("gpt-tokenizer/encoding/cl100k_base"), import("gpt-tokenizer/bpeRanks/cl100k_base")]),
  o200k_base: () => Promise.all([import("gpt-tokenizer/encoding/o200k_base"), import("gpt-tokenizer/bpeRanks/o200k_base")]),
};

// Code may legitimately contain "<|endoftext|>"; it must be tokenized as text, never rejected or turned special.
const AS_TEXT = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };

const utf8 = new TextEncoder();

export class TiktokenBpe implements CodeTokenizer {
  readonly kind = "tiktoken" as const;
  readonly vocabSize: number;
  private readonly byteCache = new Map<number, Uint8Array>();

  constructor(
    readonly id: string,
    private readonly encoding: GptEncoding,
    private readonly ranks: RankTable,
  ) {
    this.vocabSize = encoding.vocabularySize;
  }

  encodeIds(text: string): number[] {
    return this.encoding.encode(text, AS_TEXT);
  }

  /** The exact bytes a token id stands for. */
  tokenBytes(id: number): Uint8Array {
    let bytes = this.byteCache.get(id);
    if (!bytes) {
      const entry = this.ranks[id];
      if (entry === undefined) throw new Error(`${this.id}: no byte string for token id ${id}`);
      bytes = typeof entry === "string" ? utf8.encode(entry) : Uint8Array.from(entry);
      this.byteCache.set(id, bytes);
    }
    return bytes;
  }

  encode(text: string): TokenEncoding {
    const ids = this.encodeIds(text);
    const surfaces: TokenSurface[] = ids.map((id) => ({ bytes: this.tokenBytes(id) }));
    const { offsets, exact } = alignTokenOffsets(text, surfaces);
    return { ids, offsets, exact };
  }

  decode(ids: readonly number[]): string {
    return this.encoding.decode(ids);
  }
}

export async function loadTiktokenBpe(name: TiktokenName, id: string = name): Promise<TiktokenBpe> {
  const [enc, ranks] = await loaders[name]();
  return new TiktokenBpe(id, enc.default, ranks.default);
}
