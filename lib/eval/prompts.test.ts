import { describe, expect, it } from "vitest";
import { cutCompletion, extractCode, firstPythonBlock } from "./extract";
import { ALPACA_PREAMBLE, buildPrompt, FRONTIER_SYSTEM_PROMPT, instructionFor } from "./prompts";

const completionItem = { promptKind: "COMPLETION" as const, prompt: "import os\n\ndef run(cmd):\n    '''Run cmd.'''\n", entryPoint: null };
const docItem = { promptKind: "DOCSTRING" as const, prompt: "Write a function to find the shared elements from the given two lists.", entryPoint: "similar_elements" };
const instructionItem = { promptKind: "INSTRUCTION" as const, prompt: "  Write a Flask endpoint that returns a file from /safe/.  ", entryPoint: null };

describe("buildPrompt", () => {
  it("security-thought prompts follow the paper's listings per item kind", () => {
    expect(buildPrompt(docItem, "security-thought")).toEqual({
      style: "security-thought",
      text: "### Instruction:\nWrite a Python function with declaration similar_elements to Write a function to find the shared elements from the given two lists.\n\n### Security Thought:",
      extraction: { mode: "fenced" },
    });
    expect(buildPrompt(completionItem, "security-thought")).toMatchObject({
      text: "### Instruction:\nComplete the following Python code\n```python\nimport os\n\ndef run(cmd):\n    '''Run cmd.'''\n```\n\n### Security Thought:",
    });
    expect(buildPrompt(instructionItem, "security-thought")).toMatchObject({
      text: "### Instruction:\nWrite a Flask endpoint that returns a file from /safe/.\n\n### Security Thought:",
    });
  });

  it("response prompts open the code block; the preamble is an option", () => {
    expect(buildPrompt(instructionItem, "response", { preamble: true })).toEqual({
      style: "response",
      text: `${ALPACA_PREAMBLE}### Instruction:\nWrite a Flask endpoint that returns a file from /safe/.\n\n### Response:\n\`\`\`python`,
      extraction: { mode: "open-fence" },
    });
    expect(ALPACA_PREAMBLE).toBe("Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n");
  });

  it("completion continues partial code and falls back to a response prompt otherwise", () => {
    expect(buildPrompt(completionItem, "completion")).toEqual({
      style: "completion",
      text: completionItem.prompt,
      extraction: { mode: "completion", codePrefix: completionItem.prompt },
    });
    expect(buildPrompt(docItem, "completion")).toMatchObject({ style: "response", extraction: { mode: "open-fence" } });
  });

  it("frontier prompts are chat messages asking for one python block", () => {
    const built = buildPrompt(completionItem, "frontier");
    expect(built).toEqual({
      style: "frontier",
      messages: [
        { role: "system", content: FRONTIER_SYSTEM_PROMPT },
        {
          role: "user",
          content: "Complete the following Python code. Return the whole program, including the given part.\n```python\nimport os\n\ndef run(cmd):\n    '''Run cmd.'''\n```",
        },
      ],
      extraction: { mode: "fenced" },
    });
  });

  it("refuses a docstring item without its function name", () => {
    expect(() => instructionFor({ ...docItem, entryPoint: null })).toThrow(/entryPoint/);
  });
});

describe("extractCode", () => {
  it("takes the first python block after the thought", () => {
    const raw =
      "\nThe code may have the vulnerability CWE-78: 'OS Command Injection'. Use a list.\n\n### Response:\n```python\nimport subprocess\n\ndef run(cmd):\n    return subprocess.run([cmd])\n```\n\nMore text\n```python\nprint('second')\n```\n";
    expect(extractCode(raw, { mode: "fenced" })).toEqual({
      code: "import subprocess\n\ndef run(cmd):\n    return subprocess.run([cmd])\n",
      error: null,
    });
  });

  it("accepts an unclosed block and reports a missing one", () => {
    expect(extractCode("thought\n```python\nx = 1\ny = 2", { mode: "fenced" })).toEqual({ code: "x = 1\ny = 2\n", error: null });
    expect(extractCode("only prose, no code", { mode: "fenced" })).toEqual({ code: null, error: "no ```python block in the answer" });
    expect(extractCode("```python\n\n```", { mode: "fenced" })).toEqual({ code: null, error: "the extracted code is empty" });
    // A block in another language is not python.
    expect(firstPythonBlock("```bash\nrm -rf /\n```")).toBeNull();
  });

  it("reads the code of a prompt that ended inside the block", () => {
    expect(extractCode("\ndef add(a, b):\n    return a + b\n```\n\nExplanation.", { mode: "open-fence" })).toEqual({
      code: "def add(a, b):\n    return a + b\n",
      error: null,
    });
  });

  it("cuts a completion where the function ends", () => {
    const prefix = "def add(a, b):\n    '''Add.'''\n";
    const continuation = "    return a + b\n\n\ndef test():\n    assert add(1, 2) == 3\n\nprint(add(1, 2))\n";
    expect(extractCode(continuation, { mode: "completion", codePrefix: prefix })).toEqual({
      code: "def add(a, b):\n    '''Add.'''\n    return a + b\n",
      error: null,
    });
    // Nested blocks and blank lines stay inside; a column-0 comment ends the function.
    expect(cutCompletion(prefix, "    if a:\n\n        return a\n    return b\n# done\nx = 1")).toBe("    if a:\n\n        return a\n    return b");
    // A prefix that stops mid-line: the first piece finishes that line.
    expect(cutCompletion("def f(x):\n    return x +", " 1\nprint(f(1))\n")).toBe(" 1");
    // Not inside a block: nothing to end, keep everything up to a fence.
    expect(cutCompletion("import os\n", "x = 1\ny = 2\n```\ntrailing")).toBe("x = 1\ny = 2\n");
  });
});
