// A small, deterministic byte-level BPE trainer (GPT-2's scheme) that writes a Hugging Face tokenizer.json, so the
// built-in tiny model has a real tokenizer of its own that @huggingface/tokenizers and lib/tokenizers load. Pieces
// come from GPT-2's pre-tokenizer regex; the most frequent adjacent pair is merged until the vocabulary is full
// (ties broken by the pair's ids, so the same corpus always gives the same merges).

/** GPT-2's pre-tokenizer pattern (what ByteLevel with use_regex applies). */
const GPT2_PATTERN = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** GPT-2's bytes_to_unicode: a printable stand-in character for every byte. Index = byte. */
export function byteToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const out: string[] = new Array(256);
  let n = 0;
  for (let b = 0; b < 256; b++) out[b] = printable.includes(b) ? String.fromCharCode(b) : String.fromCharCode(256 + n++);
  return out;
}

export type TBpeModel = { vocab: Map<string, number>; merges: [string, string][] };

/** Learns merges over `texts` until the vocabulary (256 bytes + merges) reaches `size`. */
export function trainByteLevelBpe(texts: readonly string[], size: number): TBpeModel {
  const chars = byteToUnicode();
  const encoder = new TextEncoder();
  const pieceCounts = new Map<string, number>();
  for (const text of texts) {
    for (const match of text.matchAll(GPT2_PATTERN)) {
      const piece = Array.from(encoder.encode(match[0]), (b) => chars[b]).join("");
      pieceCounts.set(piece, (pieceCounts.get(piece) ?? 0) + 1);
    }
  }
  const symbols: string[] = [...chars]; // id -> token string
  const words = [...pieceCounts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([piece, count]) => ({ ids: Array.from(piece, (ch) => chars.indexOf(ch)), count }));
  const merges: [string, string][] = [];
  const KEY = 1 << 16;
  while (symbols.length < size) {
    const pairs = new Map<number, number>();
    for (const w of words) {
      for (let i = 0; i + 1 < w.ids.length; i++) {
        const key = w.ids[i] * KEY + w.ids[i + 1];
        pairs.set(key, (pairs.get(key) ?? 0) + w.count);
      }
    }
    let best = -1;
    let bestCount = 1; // a pair seen once teaches nothing
    for (const [key, count] of pairs) if (count > bestCount || (count === bestCount && best >= 0 && key < best)) [best, bestCount] = [key, count];
    if (best < 0) break;
    const a = Math.floor(best / KEY);
    const b = best % KEY;
    const merged = symbols.length;
    symbols.push(symbols[a] + symbols[b]);
    merges.push([symbols[a], symbols[b]]);
    for (const w of words) {
      if (w.ids.length < 2) continue;
      const next: number[] = [];
      for (let i = 0; i < w.ids.length; i++) {
        if (i + 1 < w.ids.length && w.ids[i] === a && w.ids[i + 1] === b) {
          next.push(merged);
          i++;
        } else next.push(w.ids[i]);
      }
      w.ids = next;
    }
  }
  return { vocab: new Map(symbols.map((s, id) => [s, id])), merges };
}

/**
 * tokenizer.json (GPT-2 layout: ByteLevel pre-tokenizer, BPE model, ByteLevel decoder) with the special tokens
 * appended after the learned vocabulary.
 */
export function byteLevelTokenizerJson(model: TBpeModel, specials: readonly string[]): Record<string, unknown> {
  const vocab: Record<string, number> = Object.fromEntries(model.vocab);
  let next = model.vocab.size;
  const added = specials.map((content) => {
    const id = next++;
    vocab[content] = id;
    return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
  });
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: "ByteLevel", add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: "",
      end_of_word_suffix: "",
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: model.merges.map(([a, b]) => `${a} ${b}`),
    },
  };
}
