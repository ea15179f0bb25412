// Templates: slot rendering (missing/unknown slots, the no-package "simple" prompt), the released reasoning form checked
// against a row of the released DiSCo test split, and versioned storage in a real PostgreSQL.
import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../db/client";
import { createFixtures } from "../testing/fixtures";
import { buildReasoning } from "./reasoning";
import {
  DEFAULT_GENERATION_BODY,
  DEFAULT_REFINEMENT_BODY,
  DEFAULT_TEMPLATE_NAMES,
  DEFAULT_TEMPLATES,
  ensureDefaultTemplates,
  generationSlots,
  getTemplate,
  latestTemplate,
  listLatestTemplates,
  PAPER_REASONING_BODY,
  renderTemplate,
  saveTemplateVersion,
  TemplateError,
  templateSlots,
  validateTemplateBody,
} from "./templates";

const entry = { cweId: "CWE-78", title: "OS Command Injection", description: "Building a shell command from user input." };

describe("renderTemplate", () => {
  it("fills every slot and keeps mixed-case brackets and code alone", () => {
    const out = renderTemplate("[CWE] [ISSUE]: [DESCRIPTION] uses [PACKAGE] x[0] [Python]", { ...generationSlots(entry, "subprocess") });
    expect(out).toBe("CWE-78 OS Command Injection: Building a shell command from user input. uses subprocess x[0] [Python]");
  });

  it("names each missing slot", () => {
    expect(() => renderTemplate("[ISSUE] [DESCRIPTION] [CWE]", { ISSUE: "a" })).toThrow(/missing values for \[DESCRIPTION\], \[CWE\]/);
    try {
      renderTemplate("[ISSUE] [DESCRIPTION]", { DESCRIPTION: null });
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateError);
      expect((e as TemplateError).missing).toEqual(["ISSUE", "DESCRIPTION"]);
    }
  });

  it("reports unknown slots", () => {
    expect(() => renderTemplate("[ISSUE] [SEVERITY]", { ISSUE: "a" })).toThrow(/unknown slots \[SEVERITY\]/);
    expect(templateSlots("[ISSUE] [SEVERITY] [CWE-ID] [r-] [SECURE CODE] [Foo]")).toEqual({
      slots: ["ISSUE", "CWE", "r-", "SECURE CODE"],
      unknown: ["[SEVERITY]"],
    });
  });

  it("drops the package slot without double spaces for a simple prompt", () => {
    const complex = renderTemplate(DEFAULT_GENERATION_BODY, generationSlots(entry, "subprocess"));
    expect(complex).toContain("1. Vulnerable subprocess Python code, 20 to 50 lines long");
    const simple = renderTemplate(DEFAULT_GENERATION_BODY, generationSlots(entry, null));
    expect(simple).toContain("1. Vulnerable Python code, 20 to 50 lines long");
    expect(simple).not.toMatch(/ {2}/);
    expect(simple).not.toContain("[");
    // Absent PACKAGE behaves like null; at a line start or end the slot leaves no stray space.
    expect(renderTemplate("[PACKAGE] code", {})).toBe("code");
    expect(renderTemplate("code [PACKAGE]\nnext", {})).toBe("code\nnext");
    expect(renderTemplate("a[PACKAGE]b", { PACKAGE: "" })).toBe("ab");
  });

  it("does not expand slot-like text inside values", () => {
    expect(renderTemplate("[ISSUE] / [DESCRIPTION]", { ISSUE: "[DESCRIPTION]", DESCRIPTION: "d" })).toBe("[DESCRIPTION] / d");
  });

  it("keeps the answer format of the paper in the default templates", () => {
    for (const marker of ["VUL:", "REASON:", "SEC:", "INST:"]) expect(DEFAULT_GENERATION_BODY).toContain(`\n${marker} <`);
    expect(DEFAULT_GENERATION_BODY.match(/\nREASON: </g)).toHaveLength(2);
    expect(DEFAULT_GENERATION_BODY.indexOf("VUL:")).toBeLessThan(DEFAULT_GENERATION_BODY.indexOf("SEC:"));
    expect(DEFAULT_GENERATION_BODY.indexOf("SEC:")).toBeLessThan(DEFAULT_GENERATION_BODY.indexOf("INST:"));
    expect(templateSlots(DEFAULT_GENERATION_BODY).slots.sort()).toEqual(["DESCRIPTION", "ISSUE", "PACKAGE"]);
    expect(DEFAULT_REFINEMENT_BODY).toMatch(/\nFIX: <[^>]+>\nREASON: </);
    expect(templateSlots(DEFAULT_REFINEMENT_BODY).slots).toEqual(["SECURE CODE", "BANDIT FEEDBACK", "CODEQL FEEDBACK"]);
    for (const t of DEFAULT_TEMPLATES) expect(validateTemplateBody(t.kind, t.body)).toEqual([]);
  });

  it("rejects slots a kind cannot fill", () => {
    expect(validateTemplateBody("GENERATION", "[ISSUE] [r-]")).toEqual([expect.stringMatching(/\[r-\] cannot be filled in a generation template/)]);
    expect(validateTemplateBody("REASONING", "  ")).toEqual(["the template body is empty"]);
  });
});

describe("buildReasoning", () => {
  const parts = { ...entry, reasonInsecure: "The input reaches the shell.", reasonSecure: "The argument list avoids the shell." };
  it("builds the released form by default and the paper's form on request", () => {
    expect(buildReasoning(parts)).toBe(
      "The code may have the vulnerability CWE-78: 'OS Command Injection'. Building a shell command from user input.The input reaches the shell.The argument list avoids the shell.",
    );
    expect(buildReasoning(parts, PAPER_REASONING_BODY)).toBe(
      "The code may have the vulnerability CWE-78: OS Command Injection.Building a shell command from user input..The argument list avoids the shell..The input reaches the shell..",
    );
  });

  const testCsv = path.resolve(import.meta.dirname, "../../../shared/data/disco/DiSCo_test.csv");
  const kbCsv = path.resolve(import.meta.dirname, "../../../shared/data/kb/cwe_rules.csv");
  it.skipIf(!fs.existsSync(testCsv) || !fs.existsSync(kbCsv))("reproduces R of released rows from the KB entry (needs ../shared/data/disco and kb)", () => {
    const rows: Record<string, string>[] = parse(fs.readFileSync(testCsv), { columns: true });
    const kb: Record<string, string>[] = parse(fs.readFileSync(kbCsv), { columns: true });
    const byCwe = new Map(kb.map((r) => [r.CWE, r]));
    let checked = 0;
    for (const row of rows) {
      const m = /^The code may have the vulnerability (CWE-\d+): '(.*?)'\. /.exec(row.Reasoning);
      const k = m && byCwe.get(m[1]);
      if (!m || !k || k.Title !== m[2]) continue;
      const rest = row.Reasoning.slice(m[0].length);
      const description = k.Description.trim();
      if (!rest.startsWith(description)) continue;
      // Split r- / r+ at the sentence boundary the released data runs together ("...shell.The fixed ...").
      const tail = rest.slice(description.length);
      const cut = tail.search(/[.!?](?=[A-Z])/);
      if (cut < 0) continue;
      const rMinus = tail.slice(0, cut + 1);
      const rPlus = tail.slice(cut + 1);
      expect(buildReasoning({ cweId: m[1], title: k.Title, description: k.Description, reasonInsecure: rMinus, reasonSecure: rPlus })).toBe(row.Reasoning);
      checked++;
    }
    // Most released rows come from the CWE catalogue part of the KB.
    expect(checked).toBeGreaterThanOrEqual(150); // 170 of the 200 released test rows when written
  });
});

describe("template storage", () => {
  const db = getDb();
  const fixtures = createFixtures();
  const name = `test-gen-${fixtures.tag}`;
  let userId: string;

  beforeAll(async () => {
    userId = (await fixtures.user("RESEARCHER")).id;
  });
  afterAll(async () => {
    await db.promptTemplate.deleteMany({ where: { name: { contains: fixtures.tag } } });
    await fixtures.cleanup();
  });

  it("ensureDefaultTemplates is idempotent and creates version 1 of each default", async () => {
    await ensureDefaultTemplates(db);
    const again = await ensureDefaultTemplates(db);
    expect(again.created).toBe(0);
    for (const t of DEFAULT_TEMPLATES) {
      const rows = await db.promptTemplate.findMany({ where: { name: t.name, version: 1 } });
      expect(rows).toHaveLength(1);
      expect(rows[0].kind).toBe(t.kind);
    }
    const reasoning = await latestTemplate(db, DEFAULT_TEMPLATE_NAMES.reasoning);
    expect(reasoning?.body).toBe("The code may have the vulnerability [CWE]: '[ISSUE]'. [DESCRIPTION][r-][r+]");
  });

  it("saves new versions as max+1 and never changes old ones", async () => {
    const v1 = await saveTemplateVersion(db, { name, kind: "GENERATION", body: "v1 [ISSUE]", userId });
    const v2 = await saveTemplateVersion(db, { name, kind: "GENERATION", body: "v2 [ISSUE] [PACKAGE]", userId });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect((await getTemplate(db, v1.id))?.body).toBe("v1 [ISSUE]");
    expect((await latestTemplate(db, name))?.id).toBe(v2.id);
    expect(await getTemplate(db, "not-a-uuid")).toBeNull();
    expect(await latestTemplate(db, `test-none-${fixtures.tag}`)).toBeNull();
    const listed = (await listLatestTemplates(db)).find((t) => t.name === name);
    expect(listed).toMatchObject({ version: 2, versions: 2 });
  });

  it("gives concurrent saves distinct versions", async () => {
    const concurrent = `test-conc-${fixtures.tag}`;
    const saved = await Promise.all([1, 2, 3].map((i) => saveTemplateVersion(db, { name: concurrent, kind: "REASONING", body: `R${i} [r-]`, userId })));
    expect(saved.map((t) => t.version).sort()).toEqual([1, 2, 3]);
  });

  it("refuses a kind change, unknown slots and bad names", async () => {
    await expect(saveTemplateVersion(db, { name, kind: "REFINEMENT", body: "[SECURE CODE]", userId })).rejects.toThrow(/cannot change it to refinement/);
    await expect(saveTemplateVersion(db, { name, kind: "GENERATION", body: "[ISSUE] [WHATEVER]", userId })).rejects.toThrow(/unknown slots \[WHATEVER\]/);
    await expect(saveTemplateVersion(db, { name: "bad name!", kind: "GENERATION", body: "[ISSUE]", userId })).rejects.toThrow(/name may use/);
    expect(await db.promptTemplate.count({ where: { name } })).toBe(2);
  });
});
