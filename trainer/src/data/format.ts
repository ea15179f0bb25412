// The training text of a DiSCo record, in the reference code's prompt format (method.md section 5):
//
//   prompt:   "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n"
//             + "### Instruction:\n{x}\n\n### Security Thought:"
//   response: "\n{R}\n\n### Response:\n```python\n{y}\n```"      (chosen: y = y+, rejected: y = y-)
//
// Without reasoning (config.includeReasoning = false, the "without reasoning" ablation) R and the security thought go:
//
//   prompt:   "...### Instruction:\n{x}\n\n### Response:"
//   response: "\n```python\n{y}\n```"
//
// which is the utility benchmarks' generation form ("### Response:\n```python"). The fence's language is the record's
// language in lower case ("python" for DiSCo). The prompt is identical for both responses of a pair, and so is R, so
// the security masks mark only code tokens.
import type { TTrainingRecord } from "./types";

export const PROMPT_PREAMBLE =
  "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n";

export type TFormatOptions = { includeReasoning: boolean };

export function formatPrompt(instruction: string, options: TFormatOptions): string {
  const header = options.includeReasoning ? "### Security Thought:" : "### Response:";
  return `${PROMPT_PREAMBLE}### Instruction:\n${instruction}\n\n${header}`;
}

export function formatResponse(code: string, reasoning: string, language: string, options: TFormatOptions): string {
  const fenced = "```" + language.toLowerCase() + "\n" + code + "\n```";
  return options.includeReasoning ? `\n${reasoning}\n\n### Response:\n${fenced}` : `\n${fenced}`;
}

export type TFormattedPair = { prompt: string; chosen: string; rejected: string };

/** Prompt, chosen response (secure code) and rejected response (insecure code) of a record. */
export function formatPair(record: TTrainingRecord, options: TFormatOptions): TFormattedPair {
  return {
    prompt: formatPrompt(record.instruction, options),
    chosen: formatResponse(record.secureCode, record.reasoning, record.language, options),
    rejected: formatResponse(record.insecureCode, record.reasoning, record.language, options),
  };
}

/** SFT example of a record: R + y+ given x (paper 5.1). */
export function formatSft(record: TTrainingRecord, options: TFormatOptions): { prompt: string; response: string } {
  return {
    prompt: formatPrompt(record.instruction, options),
    response: formatResponse(record.secureCode, record.reasoning, record.language, options),
  };
}
