// The security reasoning R of a DiSCo record (method.md section 1), built from a REASONING template. The default
// (RELEASED_REASONING_BODY) reproduces the released data: "The code may have the vulnerability CWE-327: 'Title'. <description><r-><r+>".
import { RELEASED_REASONING_BODY, renderTemplate } from "./templates";

export type TReasoningParts = {
  cweId: string;
  title: string;
  description: string;
  /** r-: why the insecure code is vulnerable. */
  reasonInsecure: string;
  /** r+: why the secure code is fixed. */
  reasonSecure: string;
  packageName?: string | null;
};

/**
 * Fills a reasoning template. Each part is trimmed first: the released form runs the parts together with no separator,
 * so a stray newline or trailing space from the model or the knowledge base would otherwise end up inside R.
 */
export function buildReasoning(parts: TReasoningParts, body: string = RELEASED_REASONING_BODY): string {
  return renderTemplate(body, {
    CWE: parts.cweId.trim(),
    ISSUE: parts.title.trim(),
    DESCRIPTION: parts.description.trim(),
    "r-": parts.reasonInsecure.trim(),
    "r+": parts.reasonSecure.trim(),
    PACKAGE: parts.packageName ?? null,
  });
}
