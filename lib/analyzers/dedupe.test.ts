import { describe, expect, it } from "vitest";
import { dedupeFindings, groupEquivalentFindings, isSameIssue } from "./dedupe";
import { ZFinding, type TFinding } from "./finding";

function finding(over: Partial<TFinding>): TFinding {
  return ZFinding.parse({
    tool: "bandit",
    ruleId: "B602",
    ruleName: "subprocess_popen_with_shell_equals_true",
    cwe: "CWE-78",
    severity: "high",
    confidence: "high",
    side: "generation",
    startLine: 5,
    endLine: 5,
    startColumn: null,
    endColumn: null,
    message: "m",
    ...over,
  });
}

const banditShell = finding({});
const codeqlShell = finding({
  tool: "codeql",
  ruleId: "py/command-line-injection",
  ruleName: "Uncontrolled command line",
  startLine: 5,
  endLine: 5,
  startColumn: 21,
  endColumn: 24,
});

describe("dedupeFindings", () => {
  it("counts a Bandit and a CodeQL finding of the same weakness on the same line once", () => {
    expect(dedupeFindings([banditShell, codeqlShell])).toEqual([banditShell]);
  });

  it("keeps them apart on different lines, sides, snippets, or unpaired rules", () => {
    expect(dedupeFindings([banditShell, { ...codeqlShell, startLine: 9, endLine: 9 }])).toHaveLength(2);
    expect(dedupeFindings([banditShell, { ...codeqlShell, side: "secure" }])).toHaveLength(2);
    expect(dedupeFindings([{ ...banditShell, snippetId: "a" }, { ...codeqlShell, snippetId: "b" }])).toHaveLength(2);
    const md5 = finding({ tool: "codeql", ruleId: "py/weak-sensitive-data-hashing", cwe: "CWE-327" });
    expect(dedupeFindings([banditShell, md5])).toHaveLength(2);
  });

  it("merges overlapping multi-line ranges and repeats of one rule, transitively", () => {
    const multi = { ...codeqlShell, startLine: 4, endLine: 6 };
    const other = finding({ tool: "codeql", ruleId: "py/shell-command-constructed-from-input", startLine: 5, endLine: 5 });
    const groups = groupEquivalentFindings([multi, banditShell, other, { ...banditShell }]);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toHaveLength(4);
    expect(dedupeFindings([multi, banditShell, other])).toEqual([multi]);
  });

  it("can also merge by shared CWE when asked", () => {
    const exec = finding({ ruleId: "B102", ruleName: "exec_used", cwe: "CWE-78" });
    const injection = { ...codeqlShell, ruleId: "py/shell-command-constructed-from-input" };
    expect(isSameIssue(exec, codeqlShell)).toBe(false);
    expect(isSameIssue(exec, codeqlShell, { matchSameCwe: true })).toBe(true);
    expect(dedupeFindings([exec, injection], { matchSameCwe: true })).toHaveLength(1);
  });
});

describe("ZFinding", () => {
  it("normalizes CWE ids and rejects malformed findings", () => {
    expect(finding({ cwe: "cwe-078" }).cwe).toBe("CWE-78");
    expect(() => finding({ cwe: "not-a-cwe" })).toThrow();
    expect(() => finding({ startLine: 5, endLine: 4 })).toThrow();
    expect(() => finding({ side: "elsewhere" as never })).toThrow();
  });
});
