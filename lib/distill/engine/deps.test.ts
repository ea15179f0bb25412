// The engine's answer checks with the real parser, validator and Python syntax check.
import { afterAll, describe, expect, it } from "vitest";
import { PythonSyntaxChecker } from "../../python/syntax-checker";
import { fakeGenerationAnswer } from "../../testing/fake-openai-server";
import { parseAndValidateGeneration } from "./deps";

const syntax = new PythonSyntaxChecker();
afterAll(() => syntax.close());
const context = { stripComments: true, cweId: "CWE-78", issueTitle: "OS Command Injection" };

describe("parseAndValidateGeneration", () => {
  it("accepts a well-formed answer and tags an instruction that names the issue", async () => {
    const ok = await parseAndValidateGeneration(syntax, fakeGenerationAnswer("prompt about CWE-78"), context);
    expect(ok.ok).toBe(true);
    const named = fakeGenerationAnswer("p").replace(/INST: .*/, "INST: Write a script with an OS command injection (CWE-78) flaw.");
    const flagged = await parseAndValidateGeneration(syntax, named, context);
    expect(flagged).toMatchObject({ ok: true, flags: expect.arrayContaining(["instruction-names-cwe"]) });
  });

  it("refuses identical codes and code that does not parse, saying why", async () => {
    const answer = fakeGenerationAnswer("p");
    const insecure = /VUL:\n```python\n([\s\S]*?)```/.exec(answer)![1]!;
    const same = answer.replace(/SEC:\n```python\n[\s\S]*?```/, "SEC:\n```python\n" + insecure + "```");
    expect(await parseAndValidateGeneration(syntax, same, context)).toEqual({ ok: false, error: expect.stringMatching(/same as the insecure code/) });
    const broken = answer.replace(/SEC:\n```python\n/, "SEC:\n```python\ndef broken(:\n");
    expect(await parseAndValidateGeneration(syntax, broken, context)).toEqual({ ok: false, error: expect.stringMatching(/secure code/) });
  });
});
