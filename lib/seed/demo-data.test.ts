// Shape and sanity checks for the demo seed data. The Python check runs one python3 process for every snippet
// (ast.parse plus a tokenize pass that reports comments); it is skipped with a warning when python3 is missing.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { DEMO_KNOWLEDGE_BASE, DEMO_PACKAGES, DEMO_PAIRS, buildReasoning } from "./demo-data";

const CWE_ID = /^CWE-[1-9][0-9]*$/;
const STILL_FLAGGED_PREFIX = "Write a function that pings a host";

const python = spawnSync("python3", ["--version"], { encoding: "utf8" });
const havePython = !python.error && python.status === 0;
if (!havePython) console.warn("[demo-data] Python syntax check skipped: python3 is not available");

const PY_CHECK = `
import ast, io, json, sys, tokenize
failures = []
for item in json.load(sys.stdin):
    try:
        ast.parse(item["code"])
    except SyntaxError as exc:
        failures.append({"id": item["id"], "error": "syntax: %s (line %s)" % (exc.msg, exc.lineno)})
        continue
    for tok in tokenize.generate_tokens(io.StringIO(item["code"]).readline):
        if tok.type == tokenize.COMMENT:
            failures.append({"id": item["id"], "error": "comment on line %d" % tok.start[0]})
            break
print(json.dumps(failures))
`;

function entryFor(cweId: string) {
  return DEMO_KNOWLEDGE_BASE.find((e) => e.cweId === cweId);
}

function label(i: number) {
  return `pair ${i} (${DEMO_PAIRS[i].cweId})`;
}

describe("demo seed data", () => {
  it("has enough knowledge-base entries, packages, pairs and distinct pair CWEs", () => {
    expect(DEMO_KNOWLEDGE_BASE.length).toBeGreaterThanOrEqual(24);
    expect(DEMO_PACKAGES.length).toBeGreaterThanOrEqual(15);
    expect(DEMO_PAIRS.length).toBeGreaterThanOrEqual(32);
    expect(new Set(DEMO_PAIRS.map((p) => p.cweId)).size).toBeGreaterThanOrEqual(12);
  });

  it("uses well-formed, unique CWE ids and non-empty knowledge-base text", () => {
    for (const e of DEMO_KNOWLEDGE_BASE) {
      expect(e.cweId, e.cweId).toMatch(CWE_ID);
      expect(e.title.trim(), e.cweId).not.toBe("");
      expect(e.description.trim(), e.cweId).not.toBe("");
      expect(["CWE", "BANDIT", "CODEQL", "CUSTOM"]).toContain(e.source);
    }
    expect(new Set(DEMO_KNOWLEDGE_BASE.map((e) => e.cweId)).size).toBe(DEMO_KNOWLEDGE_BASE.length);
    for (const p of DEMO_PAIRS) expect(p.cweId).toMatch(CWE_ID);
  });

  it("has unique package names and only references listed packages", () => {
    const names = DEMO_PACKAGES.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    DEMO_PAIRS.forEach((p, i) => {
      if (p.packageName !== null) expect(names, label(i)).toContain(p.packageName);
    });
  });

  it("links every pair to a knowledge-base entry with the same title", () => {
    DEMO_PAIRS.forEach((p, i) => {
      const entry = entryFor(p.cweId);
      expect(entry, label(i)).toBeDefined();
      expect(p.cweTitle, label(i)).toBe(entry?.title);
    });
  });

  it("keeps instructions free of the CWE id and title", () => {
    DEMO_PAIRS.forEach((p, i) => {
      expect(p.instruction.trim(), label(i)).not.toBe("");
      expect(p.instruction, label(i)).not.toMatch(/CWE/i);
      expect(p.instruction.toLowerCase(), label(i)).not.toContain(p.cweTitle.toLowerCase());
      expect(p.instruction, label(i)).not.toMatch(/vulnerab|insecure|injection/i);
    });
  });

  it("pairs differ, have no comment lines, short reasons and 10-30 line insecure code", () => {
    DEMO_PAIRS.forEach((p, i) => {
      expect(p.secureCode.trim(), label(i)).not.toBe(p.insecureCode.trim());
      for (const code of [p.insecureCode, p.secureCode]) {
        expect(code.split("\n").some((line) => line.trimStart().startsWith("#")), label(i)).toBe(false);
      }
      const lines = p.insecureCode.split("\n").length;
      expect(lines, label(i)).toBeGreaterThanOrEqual(10);
      expect(lines, label(i)).toBeLessThanOrEqual(30);
      expect(p.reasonInsecure.trim(), label(i)).not.toBe("");
      expect(p.reasonSecure.trim(), label(i)).not.toBe("");
    });
  });

  it("has exactly one deliberate still-flagged pair: the CWE-78 ping pair keeping shell=True with shlex.quote", () => {
    const flagged = DEMO_PAIRS.filter((p) => p.instruction.startsWith(STILL_FLAGGED_PREFIX));
    expect(flagged).toHaveLength(1);
    const [pair] = flagged;
    expect(pair.cweId).toBe("CWE-78");
    expect(pair.secureCode).toContain("shell=True");
    expect(pair.secureCode).toContain("shlex.quote(");
    expect(pair.insecureCode).not.toContain("shlex.quote(");
  });

  it("builds the released reasoning form: quoted title, parts run together, r- before r+", () => {
    const pair = DEMO_PAIRS[0];
    const entry = entryFor(pair.cweId)!;
    expect(buildReasoning(pair, entry)).toBe(
      "The code may have the vulnerability " +
        pair.cweId +
        ": '" +
        entry.title +
        "'. " +
        entry.description +
        pair.reasonInsecure +
        pair.reasonSecure,
    );
    const text = buildReasoning(
      { cweId: "CWE-1", reasonInsecure: "R-.", reasonSecure: "R+." },
      { title: "T", description: "D." },
    );
    expect(text).toBe("The code may have the vulnerability CWE-1: 'T'. D.R-.R+.");
  });

  it.skipIf(!havePython)("every snippet parses as Python 3 and has no comments", () => {
    const snippets = DEMO_PAIRS.flatMap((p, i) => [
      { id: `${label(i)} insecure`, code: p.insecureCode },
      { id: `${label(i)} secure`, code: p.secureCode },
    ]);
    const run = spawnSync("python3", ["-c", PY_CHECK], {
      input: JSON.stringify(snippets),
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(run.error).toBeUndefined();
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([]);
  });
});
