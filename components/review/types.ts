// The review page's data as the browser receives it (JSON of lib/pairs/get-pair-for-review's result).
import type { TPairForReview } from "@/lib/pairs/get-pair-for-review";

export type TReviewView = TPairForReview;
export type TReviewFinding = TReviewView["findings"]["secure"][number];
export type TEditableField = "instruction" | "insecureCode" | "secureCode" | "reasonInsecure" | "reasonSecure" | "reasoning";
export type TDraft = Record<TEditableField, string>;
export type TConflict = {
  message: string;
  current: { revision: number; editedBy: { name: string; email: string } | null; createdAt: string } & TDraft;
};

export function findingLabel(finding: TReviewFinding): string {
  return `${finding.tool} ${finding.ruleId} ${finding.cweId ?? "no CWE"} ${finding.severity}: ${finding.message}`;
}
