// The trainer's data pipeline: records -> formatted text -> token ids with aligned security masks -> seeded, resumable
// micro-batches in the layout batch.ts documents.
export * from "./types";
export * from "./format";
export * from "./tokenize";
export * from "./batch";
export * from "./order";
export * from "./rng";
export * from "./prepare";
