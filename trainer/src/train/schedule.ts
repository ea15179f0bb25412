// The learning-rate schedule: linear warmup then cosine decay to zero, as Hugging Face's
// `get_cosine_schedule_with_warmup` computes it (the paper's setup: cosine with 5% warmup). A pure function of the
// step, so a resumed run needs no scheduler state.

/** Warmup steps for a run of `totalSteps`: ceil(warmupRatio * totalSteps), as TrainingArguments.get_warmup_steps does. */
export function warmupSteps(totalSteps: number, warmupRatio: number): number {
  return Math.ceil(totalSteps * warmupRatio);
}

/**
 * The learning rate used by optimizer step `step` (1-based). Hugging Face evaluates its lambda at the number of
 * steps already taken (step - 1), so with warmup the first update uses lr 0; we keep that so curves match TRL's.
 */
export function learningRateAt(step: number, totalSteps: number, baseLr: number, warmupRatio: number): number {
  const current = step - 1;
  const warmup = warmupSteps(totalSteps, warmupRatio);
  if (current < warmup) return (baseLr * current) / Math.max(1, warmup);
  const progress = (current - warmup) / Math.max(1, totalSteps - warmup);
  return baseLr * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
}
