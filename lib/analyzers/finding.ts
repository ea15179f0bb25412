// One finding shape for every analyzer (Bandit, CodeQL, any later tool), so evaluation, deduplication and the UI
// never look at tool-specific output. Lines and columns are 1-based, as SARIF and editors count them.
import { z } from "zod";
import { normalizeCwe } from "./cwe";

export const ZAnalyzerTool = z.enum(["bandit", "codeql"]);
/** Which code a finding is about: a pair's insecure or secure version, or a model's generation. */
export const ZCodeSide = z.enum(["insecure", "secure", "generation"]);
/** critical/high/medium/low follow GitHub's reading of CodeQL's security-severity; Bandit has no "critical". */
export const ZSeverity = z.enum(["critical", "high", "medium", "low", "undefined"]);
export const ZConfidence = z.enum(["high", "medium", "low", "undefined"]);

const ZCwe = z.string().transform((s, ctx) => {
  try {
    return normalizeCwe(s);
  } catch {
    ctx.addIssue({ code: "custom", message: `not a CWE id: ${s}` });
    return z.NEVER;
  }
});

export const ZFinding = z
  .object({
    tool: ZAnalyzerTool,
    /** Bandit test id ("B602") or CodeQL query id ("py/command-line-injection"). */
    ruleId: z.string().min(1),
    /** Bandit test name ("subprocess_popen_with_shell_equals_true") or CodeQL query name ("Uncontrolled command line"). */
    ruleName: z.string(),
    /** Primary CWE, normalized ("CWE-78"); null when the tool maps the rule to none. */
    cwe: ZCwe.nullable(),
    severity: ZSeverity,
    confidence: ZConfidence,
    side: ZCodeSide,
    startLine: z.number().int().min(1),
    endLine: z.number().int().min(1),
    /** 1-based; null when the tool does not report columns (Bandit before 1.7.3). */
    startColumn: z.number().int().min(1).nullable(),
    /** 1-based, exclusive as in SARIF; null when unknown. */
    endColumn: z.number().int().min(1).nullable(),
    message: z.string(),
    /** Which snippet of a batch the finding belongs to; findings of different snippets never merge. */
    snippetId: z.string().optional(),
    /** Every CWE the rule is tagged with (CodeQL queries often carry several), primary first. */
    cwes: z.array(ZCwe).optional(),
  })
  .refine((f) => f.endLine >= f.startLine, { message: "endLine before startLine", path: ["endLine"] });

export type TFinding = z.infer<typeof ZFinding>;
export type TAnalyzerTool = z.infer<typeof ZAnalyzerTool>;
export type TCodeSide = z.infer<typeof ZCodeSide>;
export type TSeverity = z.infer<typeof ZSeverity>;
export type TConfidence = z.infer<typeof ZConfidence>;
