import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ZFinding } from "./finding";
import { parseSarif, sarifUriToPath, severityFromScore } from "./sarif";

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
const read = (name: string) => JSON.parse(fs.readFileSync(path.join(fixtures, name), "utf8"));

describe("parseSarif", () => {
  it("reads CodeQL's current layout: rules in the query pack's tool component", () => {
    const parsed = parseSarif(read("codeql-python-security.sarif"), "secure");
    expect(parsed.tool).toEqual({ name: "CodeQL", version: "2.19.3" });
    const byRule = Object.fromEntries(parsed.findings.map((f) => [f.finding.ruleId, f]));
    expect(parsed.findings.map((f) => f.file)).toEqual(["snippet_0.py", "snippet_0.py", "snippet_1.py", "snippet_1.py"]);

    const cmd = byRule["py/command-line-injection"].finding;
    expect(cmd).toMatchObject({
      tool: "codeql",
      ruleName: "Uncontrolled command line",
      cwe: "CWE-78",
      cwes: ["CWE-78", "CWE-88"],
      severity: "high", // no security-severity in the header: level "error"
      confidence: "high",
      side: "secure",
      startLine: 8,
      endLine: 8,
      startColumn: 21,
      endColumn: 24,
    });
    expect(byRule["py/overly-permissive-file"].finding).toMatchObject({
      cwe: "CWE-732",
      severity: "medium", // level "warning"
      confidence: "medium",
      ruleName: "Overly permissive file permissions",
    });
    // Multi-line region, security-severity 7.5 -> high, CWE list in tag order.
    expect(byRule["py/weak-sensitive-data-hashing"].finding).toMatchObject({
      startLine: 4,
      endLine: 5,
      severity: "high",
      cwes: ["CWE-327", "CWE-916"],
    });
    expect(byRule["py/flask-debug"].finding.cwe).toBe("CWE-215");
    for (const f of parsed.findings) expect(() => ZFinding.parse(f.finding)).not.toThrow();
  });

  it("surfaces per-file tool notifications (errors and warnings) and skips informational ones", () => {
    const parsed = parseSarif(read("codeql-python-security.sarif"), "secure");
    expect(parsed.errors).toEqual([
      { file: "snippet_2.py", level: "warning", message: "Syntax Error (in Python 3).", id: "py/diagnostics/syntax-error" },
    ]);
  });

  it("reads the older layout: driver rules, ruleIndex only, file: URIs, results without rule metadata", () => {
    const parsed = parseSarif(read("codeql-driver-rules.sarif"), "generation");
    const [sql, pathInj] = parsed.findings;
    expect(sql.file).toBe("/tmp/disco-codeql-x/src/snippet_1.py");
    expect(sql.finding).toMatchObject({ ruleId: "py/sql-injection", cwe: "CWE-89", severity: "high", confidence: "high" });
    // No rule in the log: name, CWEs and severity come from our CodeQL query table.
    expect(pathInj.file).toBe("/tmp/disco-codeql-x/src/snippet 1.py");
    expect(pathInj.finding).toMatchObject({
      ruleName: "Uncontrolled data used in path expression",
      cwe: "CWE-22",
      startColumn: null,
      endColumn: null,
      severity: "high", // the query's @problem.severity "error"
    });
  });

  it("rejects logs that are not SARIF 2.1.0", () => {
    expect(() => parseSarif({ version: "2.0.0", runs: [] }, "generation")).toThrow();
    expect(() => parseSarif({ runs: [] }, "generation")).toThrow();
  });

  it("maps security-severity scores to GitHub's bands and decodes URIs", () => {
    expect([9.8, 9, 8.8, 7, 6.9, 4, 3.9, 0.1, 0].map(severityFromScore)).toEqual([
      "critical",
      "critical",
      "high",
      "high",
      "medium",
      "medium",
      "low",
      "low",
      "undefined",
    ]);
    expect(sarifUriToPath("file:///a/b%20c.py")).toBe("/a/b c.py");
    expect(sarifUriToPath("src\\x.py")).toBe("src/x.py");
  });
});
