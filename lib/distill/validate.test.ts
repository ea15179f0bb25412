import { afterAll, describe, expect, it } from "vitest";
import { PythonSyntaxChecker } from "../python/syntax-checker";
import { instructionIssueFlags, normalizeWhitespace, validateGeneration, validateRefinement } from "./validate";

const checker = new PythonSyntaxChecker();
afterAll(() => checker.close());

const OK = {
  insecureCode: "import os\n\ndef run(cmd):\n    os.system(cmd)\n",
  insecureReason: "r-",
  secureCode: "import subprocess\n\ndef run(cmd):\n    subprocess.run([cmd], check=True)\n",
  secureReason: "r+",
  instruction: "Write a function that runs a program given by the user.",
};
const ENTRY = { cweId: "CWE-78", title: "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')" };

describe("validateGeneration", () => {
  it("accepts a good generation with no problems", async () => {
    expect(await validateGeneration(OK, { entry: ENTRY, checker })).toEqual({ ok: true, flagged: false, problems: [] });
  });

  it("reports syntax errors for each code with the line", async () => {
    const v = await validateGeneration({ ...OK, insecureCode: "def f(:\n    pass", secureCode: "x = (\n" }, { entry: ENTRY, checker });
    expect(v.ok).toBe(false);
    expect(v.problems.map((p) => [p.code, p.severity])).toEqual([
      ["insecure_syntax", "error"],
      ["secure_syntax", "error"],
    ]);
    expect(v.problems[0].message).toMatch(/^the insecure code does not parse as Python at line 1/);
  });

  it("refuses secure code equal to the insecure code up to whitespace, and empty parts", async () => {
    const v = await validateGeneration({ ...OK, secureCode: OK.insecureCode.replace("\n\n", "\n  \n\n") + "   \n" }, { entry: ENTRY, checker });
    expect(v.problems.map((p) => p.code)).toEqual(["secure_equals_insecure"]);
    const e = await validateGeneration({ ...OK, insecureCode: "  ", instruction: "" }, { entry: ENTRY, checker });
    expect(e.problems.map((p) => p.code).sort()).toEqual(["empty_code", "empty_instruction"]);
    expect(normalizeWhitespace(" a\n\tb  ")).toBe("a b");
  });

  it("flags an instruction that names the CWE or the issue, saying what matched", async () => {
    const v = await validateGeneration({ ...OK, instruction: "Write code with an OS command injection flaw (CWE-078)." }, { entry: ENTRY, checker });
    expect(v).toMatchObject({ ok: true, flagged: true });
    const byCode = Object.fromEntries(v.problems.map((p) => [p.code, p]));
    expect(byCode.instruction_names_cwe).toMatchObject({ severity: "flag", matched: "CWE-078" });
    expect(byCode.instruction_names_cwe.message).toContain("entry's CWE id");
    expect(byCode.instruction_names_issue).toMatchObject({ matched: "OS Command Injection" });
    expect(byCode.instruction_reveals_issue).toMatchObject({ matched: "injection" });
  });

  it("matches title word pairs and revealing words, but not ordinary instructions", () => {
    const ssl = { cweId: "CWE-327", title: "Use of Insecure SSL/TLS Version" };
    expect(instructionIssueFlags("Open a socket using TLS version 1.0 to fetch a page.", ssl).map((f) => f.matched)).toEqual(["tls version"]);
    expect(instructionIssueFlags("Write an insecure web handler.", { cweId: null, title: "Other" }).map((f) => f.matched)).toEqual(["insecure"]);
    expect(instructionIssueFlags("Read a file whose name the user gives, inside the uploads folder.", { cweId: "CWE-22", title: "Path Traversal" })).toEqual([]);
    expect(instructionIssueFlags("Avoid path traversal when reading uploads.", { cweId: "CWE-22", title: "Path Traversal" }).map((f) => f.code)).toEqual(["instruction_names_issue", "instruction_reveals_issue"]);
    expect(instructionIssueFlags("See CWE 22 for details", { cweId: "CWE-79", title: "XSS" })[0].message).toBe("the instruction names a CWE id (CWE 22)");
  });
});

describe("validateRefinement", () => {
  it("requires parseable code that changed", async () => {
    expect((await validateRefinement("x = 2\n", { previousCode: "x = 1\n", checker })).ok).toBe(true);
    expect((await validateRefinement("x = 1", { previousCode: "x = 1\n", checker })).problems.map((p) => p.code)).toEqual(["secure_equals_insecure"]);
    expect((await validateRefinement("def (", { previousCode: "x", checker })).problems.map((p) => p.code)).toEqual(["secure_syntax"]);
  });
});
