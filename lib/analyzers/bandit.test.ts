import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BanditNotFoundError, detectBandit, parseBanditReport, runBandit, type BanditBatchResult } from "./bandit";
import { dedupeFindings } from "./dedupe";
import { ZFinding } from "./finding";
import { parseSarif } from "./sarif";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "disco-bandit-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("parseBanditReport (recorded newer-Bandit JSON)", () => {
  // Shape of Bandit >= 1.7.4 output: columns and issue_cwe present, test_name "blacklist" for blacklist hits.
  const report = {
    errors: [{ filename: "/w/src/snippet_1.py", reason: "syntax error while parsing AST from file" }],
    generated_at: "2026-01-01T00:00:00Z",
    metrics: {},
    results: [
      {
        code: "3 h = hashlib.md5(pw)\n",
        col_offset: 8,
        end_col_offset: 23,
        filename: "/w/src/snippet_0.py",
        issue_confidence: "HIGH",
        issue_cwe: { id: 327, link: "https://cwe.mitre.org/data/definitions/327.html" },
        issue_severity: "HIGH",
        issue_text: "Use of weak MD4, MD5, or SHA1 hash for security. Consider usedforsecurity=False",
        line_number: 3,
        line_range: [3],
        more_info: "https://bandit.readthedocs.io/en/1.7.5/plugins/b324_hashlib.html",
        test_id: "B324",
        test_name: "hashlib",
      },
      {
        code: "1 import pickle\n",
        col_offset: 0,
        end_col_offset: 13,
        filename: "/w/src/snippet_0.py",
        issue_confidence: "HIGH",
        issue_cwe: { id: 502, link: "https://cwe.mitre.org/data/definitions/502.html" },
        issue_severity: "LOW",
        issue_text: "Consider possible security implications associated with pickle module.",
        line_number: 1,
        line_range: [1, 2],
        test_id: "B403",
        test_name: "blacklist",
      },
      {
        filename: "/w/src/snippet_2.py",
        issue_confidence: "MEDIUM",
        issue_cwe: { id: 9999 },
        issue_severity: "MEDIUM",
        issue_text: "A future test",
        line_number: 2,
        test_id: "B999",
        test_name: "some_future_test",
      },
    ],
  };
  const files = ["/w/src/snippet_0.py", "/w/src/snippet_1.py", "/w/src/snippet_2.py"];

  it("maps issues to snippets with our names and CWEs, 1-based columns and line ranges", () => {
    const res = parseBanditReport(report, files, ["a", "b", "c"], "insecure");
    expect(res[0].findings).toEqual([
      expect.objectContaining({ ruleId: "B324", ruleName: "hashlib", cwe: "CWE-327", startLine: 3, endLine: 3, startColumn: 9, endColumn: 24, severity: "high", confidence: "high", snippetId: "a" }),
      expect.objectContaining({ ruleId: "B403", ruleName: "import_pickle", cwe: "CWE-502", startLine: 1, endLine: 2, severity: "low" }),
    ]);
    // Unknown to our table: Bandit's own CWE is used.
    expect(res[2].findings[0]).toMatchObject({ ruleName: "some_future_test", cwe: "CWE-9999" });
    for (const r of res) for (const f of r.findings) expect(() => ZFinding.parse(f)).not.toThrow();
  });

  it("keeps per-file tool errors", () => {
    const res = parseBanditReport(report, files, ["a", "b", "c"], "insecure");
    expect(res[1]).toMatchObject({ findings: [], errors: [{ reason: "syntax error while parsing AST from file" }] });
  });

  it("refuses reports about files outside the batch", () => {
    expect(() => parseBanditReport(report, files.slice(0, 2), ["a", "b"], "insecure")).toThrow(/outside the batch/);
  });
});

describe("detectBandit / missing Bandit", () => {
  it("reports absence without throwing, and runBandit fails with a clear error", async () => {
    const missing = path.join(tmp, "no-bandit");
    expect(await detectBandit(missing)).toEqual({ available: false });
    await expect(runBandit(["x = 1"], { bandit: missing })).rejects.toBeInstanceOf(BanditNotFoundError);
    await expect(runBandit(["x = 1"], { bandit: missing })).rejects.toThrow(/not installed/);
  });
});

const installed = await detectBandit();
if (!installed.available) console.warn("[bandit] real-Bandit tests skipped: bandit is not installed (apt-get install bandit)");

describe.skipIf(!installed.available)("runBandit (real Bandit)", () => {
  const snippets = [
    // 0: shell injection + permissive chmod
    'import os\nimport subprocess\n\ndef run(cmd):\n    subprocess.call("ls " + cmd, shell=True)\n    os.chmod("/tmp/f", 0o777)\n',
    // 1: syntax error
    "def broken(:\n    pass\n",
    // 2: clean
    "def add(a, b):\n    return a + b\n",
    // 3: weak hash, with non-ASCII text
    'import hashlib\n\ndef h(pw):\n    # mot de passe é\n    return hashlib.md5(pw.encode()).hexdigest()\n',
  ];
  let res: BanditBatchResult;
  beforeAll(async () => {
    res = await runBandit(snippets, { side: "insecure" });
  }, 60_000);

  it("reports the version and one result per snippet, in order", () => {
    expect(res.version).toBe(installed.version);
    expect(res.results.map((r) => r.index)).toEqual([0, 1, 2, 3]);
  });

  it("finds the issues (exit code 1 is not a failure) with CWEs from our table", () => {
    const ids0 = res.results[0].findings.map((f) => f.ruleId);
    expect(ids0).toEqual(expect.arrayContaining(["B404", "B602", "B103"]));
    const b602 = res.results[0].findings.find((f) => f.ruleId === "B602")!;
    expect(b602).toMatchObject({ cwe: "CWE-78", startLine: 5, severity: "high", side: "insecure", snippetId: "0" });
    expect(res.results[0].findings.find((f) => f.ruleId === "B103")).toMatchObject({ cwe: "CWE-732", startLine: 6 });
    expect(res.results[2].findings).toEqual([]);
    expect(res.results[3].findings.map((f) => [f.ruleId, f.cwe])).toContainEqual(
      expect.arrayContaining([expect.stringMatching(/^B3(03|24)$/), "CWE-327"]),
    );
    // 1.6.2 writes "blacklist" as the test name: the real name comes from our table.
    expect(res.results[0].findings.find((f) => f.ruleId === "B404")?.ruleName).toBe("import_subprocess");
  });

  it("surfaces the syntax error of the broken snippet", () => {
    expect(res.results[1].findings).toEqual([]);
    expect(res.results[1].errors).toEqual([{ reason: expect.stringMatching(/syntax error/i) }]);
    expect(res.results[0].errors).toEqual([]);
  });

  it("gives the same results when the batch is split over several processes", async () => {
    const many = Array.from({ length: 1200 }, (_, k) => snippets[k % snippets.length]);
    const split = await runBandit(many, { processes: 3 });
    const single = await runBandit(many.slice(0, 8), { processes: 1 });
    expect(split.results).toHaveLength(1200);
    const summary = (r: BanditBatchResult["results"][number]) => r.findings.map((f) => `${f.ruleId}@${f.startLine}`).sort().join(",") + `|${r.errors.length}`;
    for (let k = 0; k < 8; k++) expect(summary(split.results[k + 400])).toBe(summary(single.results[k]));
  }, 60_000);

  it("counts a line flagged by Bandit and CodeQL once", () => {
    // CodeQL's recorded SARIF flags snippet_0.py line 8 (command line) and 10 (chmod); align Bandit's lines with it.
    const sarif = JSON.parse(
      fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures/codeql-python-security.sarif"), "utf8"),
    );
    const codeql = parseSarif(sarif, "insecure").findings.filter((f) => f.file === "snippet_0.py").map((f) => ({ ...f.finding, snippetId: "0" }));
    const shifted = res.results[0].findings.map((f) =>
      f.ruleId === "B602" ? { ...f, startLine: 8, endLine: 8 } : f.ruleId === "B103" ? { ...f, startLine: 10, endLine: 10 } : f,
    );
    const all = [...shifted, ...codeql];
    const distinct = dedupeFindings(all);
    expect(distinct.length).toBe(all.length - 2);
    expect(distinct.filter((f) => f.tool === "codeql")).toEqual([]);
  });
});
