// CodeQL cannot be installed here, so the runner is exercised against a stand-in `codeql` executable that
// behaves like the CLI for the three calls we make and writes the recorded SARIF fixture. The parser itself is
// tested on the fixtures in sarif.test.ts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { CodeqlNotFoundError, CodeqlRunError, DEFAULT_CODEQL_QUERIES, detectCodeql, runCodeql } from "./codeql";

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures/codeql-python-security.sarif");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "disco-codeql-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function fakeCodeql(name: string, analyzeExit = 0): string {
  const file = path.join(tmp, name);
  const log = path.join(tmp, `${name}.log`);
  fs.writeFileSync(
    file,
    `#!/bin/sh
echo "$@" >> "${log}"
case "$1 $2" in
  "version --format=json") echo '{"productName":"CodeQL","version":"2.19.3"}' ;;
  "database create") mkdir -p "$3"; for a in "$@"; do case "$a" in --source-root=*) ls "\${a#--source-root=}" > "$3/files.txt";; esac; done ;;
  "database analyze")
    [ -f "$3/files.txt" ] || { echo "no database" >&2; exit 2; }
    for a in "$@"; do case "$a" in --output=*) cp "${fixture}" "\${a#--output=}";; esac; done
    exit ${analyzeExit} ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac
`,
    { mode: 0o755 },
  );
  return file;
}

describe("detectCodeql", () => {
  it("reports absence without throwing", async () => {
    expect(await detectCodeql(path.join(tmp, "no-codeql"))).toEqual({ available: false });
  });
  it("reads the CLI's version", async () => {
    expect(await detectCodeql(fakeCodeql("codeql-version"))).toEqual({ available: true, version: "2.19.3" });
  });
});

describe("runCodeql", () => {
  it("creates one database for the batch, analyzes it with the Security queries and maps results to snippets", async () => {
    const codeql = fakeCodeql("codeql-ok");
    const snippets = ["import os\n", "from flask import Flask\n", "def broken(:\n", { id: "extra", code: "x = 1\n" }];
    const res = await runCodeql(snippets, { codeql, side: "insecure" });
    expect(res.version).toBe("2.19.3");
    expect(res.results.map((r) => r.findings.map((f) => f.ruleId))).toEqual([
      ["py/command-line-injection", "py/overly-permissive-file"],
      ["py/weak-sensitive-data-hashing", "py/flask-debug"],
      [],
      [],
    ]);
    expect(res.results[0].findings[0]).toMatchObject({ side: "insecure", snippetId: "0", cwe: "CWE-78" });
    expect(res.results[2].errors).toEqual([
      { level: "warning", message: "Syntax Error (in Python 3).", id: "py/diagnostics/syntax-error" },
    ]);
    expect(res.results[3].snippetId).toBe("extra");
    const calls = fs.readFileSync(path.join(tmp, "codeql-ok.log"), "utf8").trim().split("\n");
    expect(calls[1]).toMatch(/^database create \S+ --language=python --source-root=\S+/);
    expect(calls[2]).toContain(`database analyze`);
    expect(calls[2]).toContain(DEFAULT_CODEQL_QUERIES);
    expect(calls[2]).toContain("--format=sarif-latest");
  });

  it("fails clearly when the CLI is missing or a step fails", async () => {
    await expect(runCodeql(["x = 1"], { codeql: path.join(tmp, "no-codeql") })).rejects.toBeInstanceOf(CodeqlNotFoundError);
    await expect(runCodeql(["x = 1"], { codeql: fakeCodeql("codeql-fail", 3) })).rejects.toBeInstanceOf(CodeqlRunError);
  });
});
