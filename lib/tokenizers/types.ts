// The tokenizer contract the mask engine relies on: ids plus, for every token, the span of the input it covers,
// so token masks can be drawn on the code. Offsets are UTF-16 code-unit indices into the JS input string
// (what String.prototype.slice, Monaco and the DOM use), half-open [start, end).
//
// Rule for tokens that cut a character (byte-level BPE splits multi-byte UTF-8 characters): a token's span is
// the smallest run of whole characters containing all of its bytes. Two neighbouring tokens that share a
// character therefore both cover that character (their spans overlap by it); no token ever gets a partial
// character, and a token with at least one byte never gets an empty span. This is the convention of Hugging
// Face's Rust tokenizers for byte-level models. Tokens with no bytes in the input (e.g. a BOS added by a
// post-processor) get an empty span at the position where they occur.

export type TokenOffsets = [start: number, end: number];

export type TokenEncoding = {
  ids: number[];
  /** One [start, end) per id, UTF-16 indices into the encoded string; see the rule above. */
  offsets: TokenOffsets[];
  /**
   * True when every token's bytes were found verbatim in the input; false when a normalizer changed the text
   * and offsets were aligned approximately (see lib/tokenizers/align-offsets.ts).
   */
  exact: boolean;
};

export type TokenizerKind = "tiktoken" | "huggingface";

export interface CodeTokenizer {
  /** Registry id, e.g. "cl100k_base", "gpt2" or "hf:/models/x". */
  readonly id: string;
  readonly kind: TokenizerKind;
  readonly vocabSize: number;
  /** Ids and offsets; special-token text in the input is encoded as ordinary text. */
  encode(text: string): TokenEncoding;
  /** Ids only: the fast path for bulk work (masks, statistics). Equal to encode(text).ids. */
  encodeIds(text: string): number[];
  decode(ids: readonly number[]): string;
}
