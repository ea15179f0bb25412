// The analyzers' findings on a revision's secure code, written as the refinement prompt's [BANDIT FEEDBACK] and
// [CODEQL FEEDBACK]: one line per distinct finding (cross-tool duplicates once, under the tool that found it first).
import type { Db } from "../../db/client";

export type TFeedbackFinding = { tool: string; ruleId: string; ruleName: string; cweId: string | null; severity: string; startLine: number; message: string };

export function formatFindings(findings: readonly TFeedbackFinding[], tool: "bandit" | "codeql"): string {
  const own = findings.filter((finding) => finding.tool === tool).sort((a, b) => a.startLine - b.startLine || a.ruleId.localeCompare(b.ruleId));
  if (own.length === 0) return "No issues found.";
  return own
    .map((finding) => `- line ${finding.startLine}: [${finding.ruleId}${finding.ruleName ? ` ${finding.ruleName}` : ""}] ${finding.message.trim()} (severity ${finding.severity}${finding.cweId ? `, ${finding.cweId}` : ""})`)
    .join("\n");
}

export async function formatFeedback(db: Db, pairRevisionId: string): Promise<{ bandit: string; codeql: string }> {
  const findings = await db.finding.findMany({
    where: { pairRevisionId, side: "SECURE", duplicateOfId: null },
    select: { tool: true, ruleId: true, ruleName: true, cweId: true, severity: true, startLine: true, message: true },
  });
  return { bandit: formatFindings(findings, "bandit"), codeql: formatFindings(findings, "codeql") };
}
