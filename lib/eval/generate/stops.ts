// Stop sequences for benchmark generation, one rule per way the answer is read back (prompts.ts TExtractionPlan):
// generation can end as soon as the text holds everything extraction will use.
// - fenced: the first ```python block is closed -> keep through the closing fence;
// - open-fence: the prompt opened the block, so the first ``` closes it -> keep through that fence;
// - completion: the function being continued has ended (a line back in column 0, or a fence), as cutCompletion cuts.
import { cutCompletion } from "../extract";
import type { TExtractionPlan } from "../prompts";
import type { TStopRule } from "./sample";

const OPEN_FENCE = /```[ \t]*(?:python3?|py)\b[^\n]*\n/i;
const CLOSE_FENCE = /^[ \t]*```/m;

export function stopRuleFor(plan: TExtractionPlan): TStopRule {
  switch (plan.mode) {
    case "fenced":
      return (text) => {
        const open = OPEN_FENCE.exec(text);
        if (!open) return null;
        const bodyStart = open.index + open[0].length;
        const close = CLOSE_FENCE.exec(text.slice(bodyStart));
        return close ? bodyStart + close.index + close[0].length : null;
      };
    case "open-fence":
      return (text) => {
        const close = /```/.exec(text);
        return close ? close.index + 3 : null;
      };
    case "completion":
      return (text) => {
        const cut = cutCompletion(plan.codePrefix, text);
        // Only a cut before a line that has started counts: a trailing "\n" alone does not decide anything yet.
        return cut.length < text.length ? cut.length : null;
      };
  }
}

/** The stop sequences in words, recorded on the evaluation's decoding settings. */
export function describeStops(plan: TExtractionPlan): string[] {
  switch (plan.mode) {
    case "fenced":
      return ["closing ``` of the first ```python block", "EOS"];
    case "open-fence":
      return ["```", "EOS"];
    case "completion":
      return ["a line starting in column 0 after the function", "```", "EOS"];
  }
}
