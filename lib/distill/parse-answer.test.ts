import { describe, expect, it } from "vitest";
import { parseGenerationAnswer, parseRefinementAnswer, stripPythonComments } from "./parse-answer";
import { fakeGenerationAnswer, fakeRefinementAnswer, MALFORMED_ANSWERS } from "../testing/fake-openai-server";

const INSECURE = "import os\n\ndef run(cmd):\n    os.system(cmd)";
const SECURE = "import subprocess\n\ndef run(cmd):\n    subprocess.run([cmd], check=True)";

function answer(parts: { vul?: string; r1?: string; sec?: string; r2?: string; inst?: string }, layout: "fenced" | "plain" = "fenced") {
  const code = (c: string) => (layout === "fenced" ? "```python\n" + c + "\n```" : c);
  return [
    parts.vul !== undefined ? `VUL:\n${code(parts.vul)}` : "",
    parts.r1 !== undefined ? `REASON: ${parts.r1}` : "",
    parts.sec !== undefined ? `SEC:\n${code(parts.sec)}` : "",
    parts.r2 !== undefined ? `REASON: ${parts.r2}` : "",
    parts.inst !== undefined ? `INST: ${parts.inst}` : "",
  ]
    .filter(Boolean)
    .join("\n");
}

const FULL = { vul: INSECURE, r1: "Shell injection via os.system.", sec: SECURE, r2: "No shell is used.", inst: "Write a function that runs a command." };
const EXPECTED = { insecureCode: INSECURE, insecureReason: FULL.r1, secureCode: SECURE, secureReason: FULL.r2, instruction: FULL.inst };

describe("parseGenerationAnswer", () => {
  it("parses the canonical fenced format", () => {
    const r = parseGenerationAnswer(answer(FULL));
    expect(r).toEqual({ ok: true, value: EXPECTED, warnings: [] });
  });

  it("parses plain code without fences and ~~~ fences and bare ``` fences", () => {
    expect(parseGenerationAnswer(answer(FULL, "plain"))).toMatchObject({ ok: true, value: EXPECTED });
    const tilde = answer(FULL).replaceAll("```python", "~~~py").replaceAll("```", "~~~");
    expect(parseGenerationAnswer(tilde)).toMatchObject({ ok: true, value: EXPECTED });
    expect(parseGenerationAnswer(answer(FULL).replaceAll("```python", "```"))).toMatchObject({ ok: true, value: EXPECTED });
  });

  it("handles Windows line endings", () => {
    const r = parseGenerationAnswer(answer(FULL).replace(/\n/g, "\r\n"));
    expect(r).toMatchObject({ ok: true, value: EXPECTED });
  });

  it("accepts decorated markers: **VUL:**, **SEC**:, ### REASON:, 'VUL :', numbered and bulleted", () => {
    const text = [
      "Sure! Here is the answer.",
      "",
      "**VUL:**",
      "```python",
      INSECURE,
      "```",
      "### REASON: " + FULL.r1,
      "**SEC**:",
      "```python",
      SECURE,
      "```",
      "- REASON : " + FULL.r2,
      "5. INST: " + FULL.inst,
      "",
      "Let me know if you need anything else!",
    ].join("\n");
    const r = parseGenerationAnswer(text);
    expect(r).toMatchObject({ ok: true, value: EXPECTED });
    expect(r.warnings.join(" | ")).toMatch(/before the first section/);
    expect(r.warnings.join(" | ")).toMatch(/trailing prose/);
  });

  it("takes sections out of order and gives each REASON to the code before it", () => {
    const text = [`SEC:\n\`\`\`python\n${SECURE}\n\`\`\``, `REASON: ${FULL.r2}`, `INST: ${FULL.inst}`, `VUL:\n${INSECURE}`, `REASON: ${FULL.r1}`].join("\n");
    const r = parseGenerationAnswer(text);
    expect(r).toMatchObject({ ok: true, value: EXPECTED });
    expect(r.warnings.join(" ")).toMatch(/sections came as SEC, REASON, INST, VUL, REASON/);
  });

  it("assigns two REASONs after both codes by order", () => {
    const text = [`VUL:\n${INSECURE}`, `SEC:\n${SECURE}`, `REASON: ${FULL.r1}`, `REASON: ${FULL.r2}`, `INST: ${FULL.inst}`].join("\n");
    expect(parseGenerationAnswer(text)).toMatchObject({ ok: true, value: EXPECTED });
  });

  it("names the missing sections", () => {
    const noSec = parseGenerationAnswer(answer({ ...FULL, sec: undefined, r2: undefined }));
    expect(noSec).toMatchObject({ ok: false });
    if (!noSec.ok) {
      expect(noSec.error).toContain("SEC (secure code)");
      expect(noSec.error).toContain("REASON for the secure code");
      expect(noSec.error).not.toContain("VUL");
    }
    const noInst = parseGenerationAnswer(answer({ ...FULL, inst: undefined }));
    expect(noInst.ok === false && noInst.error).toBe("the answer is missing a section: INST (instruction)");
    const emptyVul = parseGenerationAnswer(answer({ ...FULL, vul: "" }));
    expect(emptyVul.ok === false && emptyVul.error).toContain("VUL (vulnerable code)");
    const none = parseGenerationAnswer(MALFORMED_ANSWERS[0]);
    expect(none.ok === false && none.error).toMatch(/none of the sections/);
    expect(parseGenerationAnswer("").ok).toBe(false);
  });

  it("does not take Python annotations like `sec: int` as markers", () => {
    const secure = "class Config:\n    sec: int = 5\n    REASON_CODE = 1";
    const r = parseGenerationAnswer(answer({ ...FULL, sec: secure }, "plain"));
    expect(r).toMatchObject({ ok: true, value: { ...EXPECTED, secureCode: secure } });
  });

  it("falls back to markers in the middle of lines (single-line answers)", () => {
    const r = parseGenerationAnswer(`VUL: import os REASON: bad. SEC: import sys REASON: good. INST: Do it.`);
    expect(r).toMatchObject({ ok: true, value: { insecureCode: "import os", insecureReason: "bad.", secureCode: "import sys", secureReason: "good.", instruction: "Do it." } });
  });

  it("ignores prose after a closing fence and unwraps an answer wrapped in one fence", () => {
    const text = "```\n" + answer(FULL, "plain") + "\n```";
    expect(parseGenerationAnswer(text)).toMatchObject({ ok: true, value: EXPECTED });
    const prose = answer(FULL).replace("```\nREASON", "```\nThis code is short.\nREASON");
    const r = parseGenerationAnswer(prose);
    expect(r).toMatchObject({ ok: true, value: EXPECTED });
    expect(r.warnings.join(" ")).toMatch(/outside the code fence/);
  });

  it("strips comments from the code (python mode keeps # inside strings)", () => {
    const withComments = 'import os  # needed\n# run it\ndef run(cmd):\n    print("# not a comment")\n    os.system(cmd)  # bad';
    const r = parseGenerationAnswer(answer({ ...FULL, vul: withComments }));
    expect(r.ok && r.value.insecureCode).toBe('import os\ndef run(cmd):\n    print("# not a comment")\n    os.system(cmd)');
    const kept = parseGenerationAnswer(answer({ ...FULL, vul: withComments }), { stripComments: "none" });
    expect(kept.ok && kept.value.insecureCode).toBe(withComments);
  });

  it("parses the fake server's answers", () => {
    const r = parseGenerationAnswer(fakeGenerationAnswer("issue CWE-327 VUL:"));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.insecureCode).toContain("hashlib.md5");
      expect(r.value.secureCode).toContain("hashlib.sha256");
      expect(r.warnings).toEqual([]);
    }
    for (const m of MALFORMED_ANSWERS) expect(parseGenerationAnswer(m).ok).toBe(false);
  });
});

describe("stripPythonComments", () => {
  it("tracks single, double, triple-quoted strings and escapes", () => {
    const code = [
      "a = '#x'  # c1",
      'b = "it\\"s # still string"  # c2',
      's = """',
      "# inside a docstring",
      '"""  # c3',
      "r = r'\\'#'  # c4",
      "    # indented comment",
      "",
      "c = 1",
    ].join("\n");
    expect(stripPythonComments(code)).toBe(["a = '#x'", 'b = "it\\"s # still string"', 's = """', "# inside a docstring", '"""', "r = r'\\'#'", "", "c = 1"].join("\n"));
  });

  it("reference mode removes '# ' everywhere, strings included", () => {
    expect(stripPythonComments('x = "a # b"\n# c\ny = 1 # d', "reference")).toBe('x = "a\ny = 1');
  });
});

describe("parseRefinementAnswer", () => {
  it("parses FIX/REASON with fences and decorations", () => {
    const r = parseRefinementAnswer("Here you go.\n**FIX:**\n```python\nimport hashlib  # ok\nh = hashlib.sha256(b'x')\n```\n**REASON:** SHA-256 is strong.\n");
    expect(r).toMatchObject({ ok: true, value: { fixedCode: "import hashlib\nh = hashlib.sha256(b'x')", reason: "SHA-256 is strong." } });
  });

  it("accepts a bare code block, and names the missing FIX", () => {
    const r = parseRefinementAnswer("```python\nx = 1\n```\nREASON: fine");
    expect(r).toMatchObject({ ok: true, value: { fixedCode: "x = 1", reason: "fine" } });
    expect(r.warnings.join(" ")).toMatch(/no FIX: marker/);
    const bad = parseRefinementAnswer("REASON: I changed nothing.");
    expect(bad).toMatchObject({ ok: false, error: "the answer is missing a section: FIX (fixed code)" });
    expect(parseRefinementAnswer("FIX:\n```python\n```\nREASON: x")).toMatchObject({ ok: false, error: "the FIX: section is empty" });
  });

  it("parses the fake server's refinement answer", () => {
    const r = parseRefinementAnswer(fakeRefinementAnswer('code TAG = "abc123" ISSUE = "CWE-327" FIX:'));
    expect(r.ok && r.value.fixedCode).toContain('TAG = "abc123"');
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// Property tests: never throw, and well-formed answers survive shuffling and decoration.

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ["VUL:", "SEC:", "REASON:", "INST:", "FIX:", "**", "```", "```python", "~~~", "#", "# ", "'", '"', '"""', "\\", "\n", "\r\n", "\r", " ", "\t", "a", "x = 1", ":", "`", "_", "1.", "-", "\u2028", "\0", "é", "😀"];

describe("parser properties", () => {
  it("never throws on random text built from marker-ish tokens and random characters (seeded)", () => {
    const rand = mulberry32(42);
    const started = Date.now();
    for (let n = 0; n < 4000; n++) {
      const len = Math.floor(rand() * 60);
      let s = "";
      for (let i = 0; i < len; i++) {
        s += rand() < 0.8 ? ALPHABET[Math.floor(rand() * ALPHABET.length)] : String.fromCharCode(Math.floor(rand() * 0xffff));
      }
      const g = parseGenerationAnswer(s);
      const f = parseRefinementAnswer(s);
      for (const r of [g, f]) {
        expect(typeof r.ok).toBe("boolean");
        if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
      }
      stripPythonComments(s);
      stripPythonComments(s, "reference");
    }
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("recovers every field from shuffled, decorated well-formed answers", () => {
    const rand = mulberry32(7);
    const decorations = [(m: string) => m, (m: string) => `**${m}**`, (m: string) => `### ${m}`, (m: string) => m.replace(":", " :"), (m: string) => `**${m.replace(":", "")}**:`];
    for (let n = 0; n < 1000; n++) {
      const tag = `v${n}`;
      const vul = `import os\n\ndef f_${tag}(x):\n    os.system(x)`;
      const sec = `import shlex\n\ndef f_${tag}(x):\n    return shlex.quote(x)`;
      const deco = () => decorations[Math.floor(rand() * decorations.length)];
      const fence = rand() < 0.5;
      const code = (c: string) => (fence ? "```python\n" + c + "\n```" : c);
      // Code blocks with their REASON stay together (that is what ties a REASON to its code); blocks and INST shuffle.
      const blocks = [
        `${deco()("VUL:")}\n${code(vul)}\n${deco()("REASON:")} bad ${tag}.`,
        `${deco()("SEC:")}\n${code(sec)}\n${deco()("REASON:")} good ${tag}.`,
        `${deco()("INST:")} Write f ${tag}.`,
      ];
      for (let i = blocks.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [blocks[i], blocks[j]] = [blocks[j], blocks[i]];
      }
      let text = (rand() < 0.5 ? "Here is my answer:\n\n" : "") + blocks.join("\n") + (rand() < 0.3 ? "\n\nHope this helps." : "");
      if (rand() < 0.3) text = text.replace(/\n/g, "\r\n");
      const r = parseGenerationAnswer(text);
      expect(r, text).toMatchObject({ ok: true, value: { insecureCode: vul, secureCode: sec, insecureReason: `bad ${tag}.`, secureReason: `good ${tag}.`, instruction: `Write f ${tag}.` } });
    }
  });

  it("stays fast on large pathological input", () => {
    const big = " ".repeat(200_000) + "VUL:" + "`".repeat(50_000) + "\n".repeat(10_000) + "#".repeat(50_000) + '"'.repeat(30_000);
    const t0 = Date.now();
    parseGenerationAnswer(big);
    parseRefinementAnswer(big);
    stripPythonComments(big);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});

describe("markers inside code", () => {
  it("does not split code at a REASON: line inside a fenced docstring, and accepts a fence on the marker's line", () => {
    const vul = 'def f():\n    """\nREASON: not a marker, part of a docstring\n    """\n    return 1';
    const text = ["VUL: ```python", vul, "```", "REASON: r1", "SEC: ```python", SECURE, "```", "REASON: r2", "INST: i"].join("\n");
    const r = parseGenerationAnswer(text);
    expect(r).toMatchObject({ ok: true, value: { insecureCode: vul, secureCode: SECURE, insecureReason: "r1", secureReason: "r2", instruction: "i" } });
  });
});
