// Reads the code out of a model's continuation, as the reference evaluation does: the first ```python block after the
// prompt, or, for a base model continuing partial code, the prompt plus the continuation cut where the function ends.
// The raw continuation is always stored next to the extraction (generations.rawText), so this can be re-run.
import type { TExtractionPlan } from "./prompts";

export type TExtraction = { code: string; error: null } | { code: null; error: string };

const OPEN_FENCE = /```[ \t]*(?:python3?|py)\b[^\n]*\n/i;
const CLOSE_FENCE = /^[ \t]*```/m;

/** The first fenced python block of `text`; an unclosed block (the model ran out of tokens) runs to the end. */
export function firstPythonBlock(text: string): string | null {
  const open = OPEN_FENCE.exec(text);
  if (!open) return null;
  return untilClosingFence(text.slice(open.index + open[0].length));
}

function untilClosingFence(body: string): string {
  const close = CLOSE_FENCE.exec(body);
  return close ? body.slice(0, close.index) : body;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/**
 * Cuts a base model's continuation of `prefix` where the function being written ends: at the first non-blank line
 * that starts in column 0 (a new def, class, statement, comment or `if __name__`). When the prefix does not end
 * inside an indented block there is no function to end, and the continuation is kept up to a fence or the end.
 */
export function cutCompletion(prefix: string, continuation: string): string {
  let text = continuation;
  const fence = /```/.exec(text);
  if (fence) text = text.slice(0, fence.index);
  const prefixLines = prefix.split("\n");
  const lastCode = [...prefixLines].reverse().find((line) => line.trim() !== "") ?? "";
  const insideBlock = indentOf(lastCode) > 0 || lastCode.trimEnd().endsWith(":");
  if (!insideBlock) return text;
  const lines = text.split("\n");
  // When the prefix stops mid-line, the first piece of the continuation finishes that line: never a cut point.
  const firstCandidate = prefix.endsWith("\n") || prefix === "" ? 0 : 1;
  for (let k = firstCandidate; k < lines.length; k++) {
    const line = lines[k]!;
    if (line.trim() !== "" && indentOf(line) === 0) return lines.slice(0, k).join("\n");
  }
  return text;
}

/** Code to analyze and run for one generation, or the reason there is none. */
export function extractCode(rawText: string, plan: TExtractionPlan): TExtraction {
  switch (plan.mode) {
    case "fenced": {
      const block = firstPythonBlock(rawText);
      if (block === null) return { code: null, error: "no ```python block in the answer" };
      return finish(block);
    }
    case "open-fence":
      // The prompt ended with "```python": the code starts after that line's newline and runs to the closing fence.
      return finish(untilClosingFence(rawText.replace(/^[^\n]*\n/, (first) => (first.trim() === "" ? "" : first))));
    case "completion":
      return finish(plan.codePrefix + cutCompletion(plan.codePrefix, rawText));
  }
}

function finish(code: string): TExtraction {
  const trimmed = code.replace(/\s+$/, "");
  if (trimmed.trim() === "") return { code: null, error: "the extracted code is empty" };
  return { code: trimmed + "\n", error: null };
}
