// The parsers on hand-written broken files: every bad row is reported on the line it starts on, good rows still parse.
import { describe, expect, it } from "vitest";
import { detectImportFormat } from "./formats";
import { languageFromFileName, parseDiscoReasoning, parsePairs } from "./parse-pairs";

const REASONING = "The code may have the vulnerability CWE-078: 'OS Command Injection'. The product builds a command.The code passes input to a shell.The fix uses an argument list.";

describe("parseDiscoReasoning", () => {
  it("recovers CWE id, title, description, r- and r+", () => {
    expect(parseDiscoReasoning(REASONING)).toEqual({
      cweId: "CWE-78",
      cweTitle: "OS Command Injection",
      description: "The product builds a command.",
      reasonInsecure: "The code passes input to a shell.",
      reasonSecure: "The fix uses an argument list.",
    });
  });
  it("keeps only the CWE when the parts cannot be told apart", () => {
    const parsed = parseDiscoReasoning("The code may have the vulnerability CWE-22: 'Path Traversal'. Only one sentence here.");
    expect(parsed).toMatchObject({ cweId: "CWE-22", cweTitle: "Path Traversal", description: null, reasonInsecure: "", reasonSecure: "" });
  });
  it("rejects a malformed CWE id", () => {
    expect(() => parseDiscoReasoning("The code may have the vulnerability CWE-abc: 'x'. y")).toThrow(/unknown CWE format/);
  });
});

describe("parsePairs: DiSCo CSV", () => {
  it("reports bad rows by the line their record starts on and keeps the good ones", () => {
    const csv = [
      ",Instruction,Secure Code,Vulnerable Code,Reasoning", // line 1
      `0,Write a runner,"import subprocess`, // 2: multi-line record, good
      `subprocess.run(['ls', d])","import os`,
      `os.system('ls ' + d)","${REASONING}"`,
      `1,Empty secure,"","os.system(x)","${REASONING}"`, // 5: empty secure code
      ``, // 6: blank
      `2,Bad cwe,"a = 1","a = 2","The code may have the vulnerability CWE-XX: 'x'. y"`, // 7
      `3,No opening,"a = 1","a = 2","Something else entirely"`, // 8
      `4,Too,many,columns,here,extra`, // 9
      `5,Good again,"b = 1","b = 2","${REASONING}"`, // 10
    ].join("\n");
    const result = parsePairs(csv, "disco-csv");
    expect(result.total).toBe(6);
    expect(result.rows.map((row) => row.line)).toEqual([2, 10]);
    expect(result.rows[0]!.pair).toMatchObject({ instruction: "Write a runner", cweId: "CWE-78", cweTitle: "OS Command Injection", secureCode: "import subprocess\nsubprocess.run(['ls', d])" });
    expect(result.rows[0]!.cweDescription).toBe("The product builds a command.");
    expect(result.invalid.map((row) => row.line)).toEqual([5, 7, 8, 9]);
    expect(result.invalid[0]!.reason).toMatch(/secure code is empty/);
    expect(result.invalid[1]!.reason).toMatch(/unknown CWE format/);
    expect(result.invalid[2]!.reason).toMatch(/does not start with/);
    expect(result.invalid[3]!.reason).toMatch(/malformed CSV record/);
  });

  it("accepts a file without the index column and with Prompt instead of Instruction", () => {
    const csv = `Prompt,Secure Code,Vulnerable Code,Reasoning\nDo it,"x = 1","x = 2","${REASONING}"\n`;
    const result = parsePairs(csv, "disco-csv");
    expect(result.invalid).toEqual([]);
    expect(result.rows[0]!.pair.instruction).toBe("Do it");
  });

  it("refuses a file whose header lacks required columns", () => {
    expect(() => parsePairs(`Prompt,Secure Code\nx,y\n`, "disco-csv")).toThrow(/lacks the columns "Vulnerable Code", "Reasoning"/);
  });
});

describe("parsePairs: JSONL formats", () => {
  it("DiSCo JSONL: bad JSON on line 3, an unknown CWE and empty code are reported; the rest parse", () => {
    const good = { instruction: "i", insecureCode: "a = 1", secureCode: "a = 2", reasoning: "R", cweId: "cwe-079", cweTitle: "XSS", packageName: "flask", language: "python" };
    const lines = [
      JSON.stringify(good),
      JSON.stringify({ ...good, secureCode: "   " }),
      "{not json",
      "",
      JSON.stringify({ ...good, cweId: "XSS" }),
      JSON.stringify({ ...good, instruction: "other" }),
      "[1,2]",
    ].join("\n");
    const result = parsePairs(lines, "disco-jsonl");
    expect(result.total).toBe(6);
    expect(result.rows.map((row) => row.line)).toEqual([1, 6]);
    expect(result.rows[0]!.pair).toMatchObject({ cweId: "CWE-79", packageName: "flask", reasoning: "R" });
    expect(result.invalid).toEqual([
      { line: 2, reason: "secure code is empty" },
      { line: 3, reason: expect.stringMatching(/^invalid JSON/) },
      { line: 5, reason: expect.stringMatching(/unknown CWE format in cweId: "XSS"/) },
      { line: 7, reason: expect.stringMatching(/expected a JSON object/) },
    ]);
  });

  it("SafeCoder: vul_type to CWE, description as instruction, language from file_name", () => {
    const row = { func_src_before: "a", func_src_after: "b", vul_type: "cwe-078", description: "fix it", file_name: "lib/x.rb" };
    const result = parsePairs([JSON.stringify(row), JSON.stringify({ ...row, func_src_after: "a" }), JSON.stringify({ ...row, vul_type: "sqli" })].join("\n"), "safecoder");
    expect(result.rows[0]!.pair).toMatchObject({ instruction: "fix it", insecureCode: "a", secureCode: "b", cweId: "CWE-78", language: "ruby" });
    expect(result.invalid).toEqual([
      { line: 2, reason: "secure code is identical to the insecure code" },
      { line: 3, reason: expect.stringMatching(/unknown CWE format in vul_type/) },
    ]);
  });

  it("TRL: chosen is secure, rejected insecure; missing fields and conversational rows are reported", () => {
    const result = parsePairs(
      [JSON.stringify({ prompt: "p", chosen: "good()", rejected: "bad()", cwe: "CWE-89" }), JSON.stringify({ prompt: "p", chosen: "x" }), JSON.stringify({ prompt: [{ role: "user", content: "p" }], chosen: "a", rejected: "b" })].join("\n"),
      "trl",
    );
    expect(result.rows[0]!.pair).toMatchObject({ instruction: "p", secureCode: "good()", insecureCode: "bad()", cweId: "CWE-89" });
    expect(result.invalid).toEqual([
      { line: 2, reason: "insecure code is missing" },
      { line: 3, reason: expect.stringMatching(/conversational/) },
    ]);
  });
});

describe("detectImportFormat and languages", () => {
  it("detects from extension and first line", () => {
    expect(detectImportFormat("x.csv", "a,b")).toBe("disco-csv");
    expect(detectImportFormat("upload", ",Secure Code,Vulnerable Code,Prompt,Reasoning\n")).toBe("disco-csv");
    expect(detectImportFormat("x.jsonl", '{"func_src_before":"a"}')).toBe("safecoder");
    expect(detectImportFormat("x.jsonl", '\n{"prompt":"a","chosen":"b","rejected":"c"}')).toBe("trl");
    expect(detectImportFormat("x.jsonl", '{"insecureCode":"a"}')).toBe("disco-jsonl");
    expect(() => detectImportFormat("x.jsonl", '{"foo":1}')).toThrow(/keys foo/);
    expect(() => detectImportFormat("x.txt", "hello")).toThrow(/cannot detect/);
  });
  it("maps file extensions", () => {
    expect(languageFromFileName("a/b.py")).toBe("python");
    expect(languageFromFileName("a/b.cc")).toBe("cpp");
    expect(languageFromFileName("a/b.jsx")).toBe("javascript");
    expect(languageFromFileName("Makefile")).toBeNull();
  });
});
