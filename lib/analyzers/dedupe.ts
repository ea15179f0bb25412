// Counting each issue once (method.md section 6: "a finding reported by both tools for the same code counts once").
// Two findings are the same issue when they concern the same snippet and side, their line ranges overlap, and
// either they are the same rule of the same tool, or a Bandit test and a CodeQL query paired in equivalences.ts.
// Sameness is closed transitively (a Bandit finding equal to two CodeQL findings joins all three).
import { areEquivalentRules } from "./equivalences";
import type { TFinding } from "./finding";

export type DedupeOptions = {
  /** Also merge different tools' findings that share a CWE on overlapping lines (looser than the table). */
  matchSameCwe?: boolean;
};

function linesOverlap(a: TFinding, b: TFinding): boolean {
  return a.startLine <= b.endLine && b.startLine <= a.endLine;
}

export function isSameIssue(a: TFinding, b: TFinding, options: DedupeOptions = {}): boolean {
  if ((a.snippetId ?? "") !== (b.snippetId ?? "") || a.side !== b.side || !linesOverlap(a, b)) return false;
  if (a.tool === b.tool) return a.ruleId === b.ruleId;
  if (areEquivalentRules(a.ruleId, b.ruleId)) return true;
  return options.matchSameCwe === true && a.cwe !== null && a.cwe === b.cwe;
}

/** Groups of findings that are one issue each, in order of their first member. */
export function groupEquivalentFindings(findings: readonly TFinding[], options: DedupeOptions = {}): TFinding[][] {
  const parent = findings.map((_, k) => k);
  const find = (k: number): number => {
    while (parent[k] !== k) {
      parent[k] = parent[parent[k]];
      k = parent[k];
    }
    return k;
  };
  // Only findings of the same snippet and side can merge, so compare within those buckets.
  const buckets = new Map<string, number[]>();
  findings.forEach((f, k) => {
    const key = `${f.snippetId ?? ""}\u0000${f.side}`;
    const bucket = buckets.get(key);
    if (bucket) bucket.push(k);
    else buckets.set(key, [k]);
  });
  for (const idx of buckets.values()) {
    for (let x = 0; x < idx.length; x++)
      for (let y = x + 1; y < idx.length; y++) {
        if (isSameIssue(findings[idx[x]], findings[idx[y]], options)) {
          const rx = find(idx[x]);
          const ry = find(idx[y]);
          if (rx !== ry) parent[Math.max(rx, ry)] = Math.min(rx, ry);
        }
      }
  }
  const groups = new Map<number, TFinding[]>();
  findings.forEach((f, k) => {
    const root = find(k);
    const g = groups.get(root);
    if (g) g.push(f);
    else groups.set(root, [f]);
  });
  return [...groups.values()];
}

/** One finding per distinct issue: the first reported member of each group (input order is kept). */
export function dedupeFindings(findings: readonly TFinding[], options: DedupeOptions = {}): TFinding[] {
  return groupEquivalentFindings(findings, options).map((g) => g[0]);
}
