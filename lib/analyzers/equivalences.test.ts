import { describe, expect, it } from "vitest";
import { BANDIT_TESTS, findBanditTest } from "./bandit-tests";
import { CODEQL_PYTHON_SECURITY_QUERIES, findCodeqlQuery } from "./codeql-queries";
import { BANDIT_CODEQL_EQUIVALENCES, areEquivalentRules } from "./equivalences";

describe("Bandit <-> CodeQL equivalence table", () => {
  it("contains the reference code's published pairs", () => {
    expect(areEquivalentRules("B602", "py/command-line-injection")).toBe(true);
    expect(findCodeqlQuery("py/command-line-injection")?.name).toBe("Uncontrolled command line");
    expect(areEquivalentRules("py/overly-permissive-file", "B103")).toBe(true);
    expect(findCodeqlQuery("py/overly-permissive-file")?.name).toBe("Overly permissive file permissions");
  });

  it("names only real, active Bandit tests and real CodeQL queries", () => {
    for (const e of BANDIT_CODEQL_EQUIVALENCES) {
      const b = findBanditTest(e.bandit);
      expect(b, e.bandit).toBeDefined();
      expect(b!.kind, e.bandit).not.toBe("removed");
      expect(findCodeqlQuery(e.codeql), e.codeql).toBeDefined();
    }
    expect(new Set(BANDIT_CODEQL_EQUIVALENCES.map((e) => `${e.bandit} ${e.codeql}`)).size).toBe(
      BANDIT_CODEQL_EQUIVALENCES.length,
    );
  });

  it("pairs rules about related weaknesses: CWEs equal, or known parent/child/peer CWEs", () => {
    // Bandit's and CodeQL's CWE choices differ for the same check (e.g. eval: Bandit CWE-78, CodeQL CWE-94/95);
    // each accepted mismatch is listed so a new pair with unrelated CWEs fails this test.
    const related: Record<string, string[]> = {
      "CWE-78": ["CWE-94", "CWE-95"],
      "CWE-94": ["CWE-215", "CWE-489", "CWE-79"],
      "CWE-327": ["CWE-916"],
      "CWE-259": ["CWE-798", "CWE-321"],
      "CWE-605": ["CWE-200"],
      "CWE-20": ["CWE-611", "CWE-776", "CWE-827", "CWE-502"], // B506 yaml.load is CWE-20 in Bandit
      "CWE-80": ["CWE-79"],
    };
    for (const e of BANDIT_CODEQL_EQUIVALENCES) {
      const b = findBanditTest(e.bandit)!.cwe!;
      const q = findCodeqlQuery(e.codeql)!.cwes;
      const ok = q.includes(b) || q.some((c) => related[b]?.includes(c));
      expect(ok, `${e.bandit} (${b}) ~ ${e.codeql} (${q.join(",")})`).toBe(true);
    }
  });

  it("keeps the fact tables complete", () => {
    expect(BANDIT_TESTS).toHaveLength(83);
    expect(BANDIT_TESTS.filter((t) => t.kind !== "removed")).toHaveLength(75);
    expect(findBanditTest("b602")?.cwe).toBe("CWE-78");
    expect(CODEQL_PYTHON_SECURITY_QUERIES.length).toBeGreaterThanOrEqual(50);
    expect(findCodeqlQuery("py/path-injection")?.cwes).toEqual(["CWE-22", "CWE-23", "CWE-36", "CWE-73", "CWE-99"]);
  });
});
