// The data the trainer consumes, from a dataset version's rows to padded micro-batches. Plain types and zod
// schemas only (no TensorFlow here), so the app can build records without pulling the trainer in.
import { z } from "zod";

export const ZTrainingRecord = z
  .object({
    id: z.string().min(1),
    instruction: z.string().min(1),
    /** R: the security reasoning (may be empty when a dataset has none; the "without reasoning" ablation ignores it). */
    reasoning: z.string(),
    secureCode: z.string().min(1),
    insecureCode: z.string().min(1),
    cweId: z.string().min(1).nullable(),
    language: z.string().min(1),
    split: z.enum(["train", "val", "test"]),
  })
  .strict();
export type TTrainingRecord = z.infer<typeof ZTrainingRecord>;

/** What the data pipeline needs from a tokenizer (lib/tokenizers' CodeTokenizer.encodeIds fits `encode`). */
export type TTokenizerLike = {
  /** Token ids of the text, with no special tokens added. */
  encode(text: string): number[];
  /** Appended to every response when given, so the model learns to stop. */
  eosTokenId?: number;
};

/**
 * Security masks of one pair from the two responses' token ids: lib/masks' computeTokenMasks(rejectedIds, chosenIds)
 * fits (it returns Uint8Arrays; any array-like of 0/1 works). Rejected first: the argument order matters for ndiff's tie-breaks.
 */
export type TMaskFunction = (
  rejectedIds: readonly number[],
  chosenIds: readonly number[],
) => { rejected: ArrayLike<number>; chosen: ArrayLike<number> };

/** A preference pair in token ids, truncated; masks are aligned one-to-one with the response ids. */
export type TTokenizedPair = {
  id: string;
  cweId: string | null;
  language: string;
  promptIds: number[];
  /** y+ response (R + secure code [+ EOS]) and its m+. */
  chosenIds: number[];
  chosenMask: number[];
  /** y- response (R + insecure code [+ EOS]) and its m-. */
  rejectedIds: number[];
  rejectedMask: number[];
  /** True when truncation removed any token. */
  truncated: boolean;
};

/** An SFT example in token ids (prompt x, response R + y+ [+ EOS]), truncated. */
export type TTokenizedSft = {
  id: string;
  cweId: string | null;
  language: string;
  promptIds: number[];
  responseIds: number[];
  truncated: boolean;
};

/** Where a data stream stands: the next example is number `index` of epoch `epoch`'s shuffled order. JSON-serialisable. */
export const ZDataPosition = z.object({ epoch: z.number().int().min(0), index: z.number().int().min(0) }).strict();
export type TDataPosition = z.infer<typeof ZDataPosition>;
