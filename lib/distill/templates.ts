// Prompt templates with named slots (method.md sections 1-2). The default wording is our own; it keeps the paper's
// structure, slots and answer format (VUL:/REASON:/SEC:/REASON:/INST: and FIX:/REASON:) so answers parse the same way.
// Templates are append-only: saving a template makes the next version and never changes an old one, so every pair can
// name the exact wording that produced it.
import { z } from "zod";
import type { Db } from "../db/client";

export const TEMPLATE_KINDS = ["GENERATION", "REFINEMENT", "REASONING"] as const;
export const ZTemplateKind = z.enum(TEMPLATE_KINDS);
export type TTemplateKind = z.infer<typeof ZTemplateKind>;

/** Every slot a template may use, by canonical name. "CWE-ID" (the paper's Listing 3 spelling) is an alias of CWE. */
export const SLOT_NAMES = [
  "ISSUE",
  "DESCRIPTION",
  "PACKAGE",
  "CWE",
  "SECURE CODE",
  "BANDIT FEEDBACK",
  "CODEQL FEEDBACK",
  "r-",
  "r+",
] as const;
export type TSlotName = (typeof SLOT_NAMES)[number];
const SLOT_ALIASES: Record<string, TSlotName> = { "CWE-ID": "CWE" };

/** Which slots each kind may use: refinement feedback only in refinement templates, r-/r+ only in the reasoning R. */
export const SLOTS_BY_KIND: Record<TTemplateKind, readonly TSlotName[]> = {
  GENERATION: ["ISSUE", "DESCRIPTION", "PACKAGE", "CWE"],
  REFINEMENT: ["SECURE CODE", "BANDIT FEEDBACK", "CODEQL FEEDBACK", "ISSUE", "DESCRIPTION", "PACKAGE", "CWE"],
  REASONING: ["CWE", "ISSUE", "DESCRIPTION", "PACKAGE", "r-", "r+"],
};

/** Slots that may be left out or null: no package makes a "simple" prompt. */
const OPTIONAL_SLOTS: ReadonlySet<TSlotName> = new Set(["PACKAGE"]);

// A slot token is [UPPER CASE WORDS], [CWE-ID], [r-] or [r+]. Mixed-case text in brackets ("[Python]") or code
// ("x[0]") is not a slot, so it is left alone.
const SLOT_TOKEN = /\[(CWE-ID|r[+-]|[A-Z][A-Z0-9]*(?: [A-Z0-9]+)*)\]/g;

export type TSlotValues = Partial<Record<TSlotName, string | null>>;

export class TemplateError extends Error {
  /** Bad template input is the caller's to fix: API routes answer 400 with the message. */
  readonly status = 400;
  constructor(
    message: string,
    readonly missing: string[] = [],
    readonly unknown: string[] = [],
  ) {
    super(message);
    this.name = "TemplateError";
  }
}

function canonical(token: string): TSlotName | null {
  if (token in SLOT_ALIASES) return SLOT_ALIASES[token];
  return (SLOT_NAMES as readonly string[]).includes(token) ? (token as TSlotName) : null;
}

/** The known slots a body uses (canonical names, first-use order) and any unknown [SLOT] tokens. */
export function templateSlots(body: string): { slots: TSlotName[]; unknown: string[] } {
  const slots: TSlotName[] = [];
  const unknown: string[] = [];
  for (const m of body.matchAll(SLOT_TOKEN)) {
    const name = canonical(m[1]);
    if (name) {
      if (!slots.includes(name)) slots.push(name);
    } else if (!unknown.includes(`[${m[1]}]`)) unknown.push(`[${m[1]}]`);
  }
  return { slots, unknown };
}

/** Problems that stop a body from being saved as a template of this kind (empty list = fine). */
export function validateTemplateBody(kind: TTemplateKind, body: string): string[] {
  const problems: string[] = [];
  if (!body.trim()) problems.push("the template body is empty");
  const { slots, unknown } = templateSlots(body);
  if (unknown.length) problems.push(`unknown slots ${unknown.join(", ")} (known: ${SLOT_NAMES.map((s) => `[${s}]`).join(", ")})`);
  const notForKind = slots.filter((s) => !SLOTS_BY_KIND[kind].includes(s));
  if (notForKind.length) problems.push(`slots ${notForKind.map((s) => `[${s}]`).join(", ")} cannot be filled in a ${kind.toLowerCase()} template`);
  return problems;
}

/**
 * Fill every slot of `body`. Throws TemplateError naming each slot the body uses that has no value (PACKAGE may be
 * absent or null) and each unknown [SLOT]. An empty value (no package) takes its adjacent spaces with it, so
 * "Vulnerable [PACKAGE] Python code" becomes "Vulnerable Python code" with no double space.
 */
export function renderTemplate(body: string, values: TSlotValues): string {
  const { slots, unknown } = templateSlots(body);
  const missing = slots.filter((s) => !OPTIONAL_SLOTS.has(s) && (values[s] === undefined || values[s] === null));
  if (missing.length || unknown.length) {
    const parts: string[] = [];
    if (missing.length) parts.push(`missing values for ${missing.map((s) => `[${s}]`).join(", ")}`);
    if (unknown.length) parts.push(`unknown slots ${unknown.join(", ")}`);
    throw new TemplateError(`cannot render template: ${parts.join("; ")}`, missing, unknown);
  }
  // Two passes: empty slots become a marker first, then each run of markers with its surrounding spaces collapses to
  // one space between text, or to nothing at a line's start or end. Values are inserted verbatim in one pass, so a
  // value that itself contains "[ISSUE]" is never expanded again.
  const filled = body.replace(SLOT_TOKEN, (_whole, token: string) => {
    const value = values[canonical(token)!] ?? "";
    return value === "" ? EMPTY_MARK : value.replaceAll(EMPTY_MARK, "");
  });
  return filled.replace(/[ \t]*(?:\uE000[ \t]*)+/g, (run: string, offset: number, whole: string) => {
    const prev = offset > 0 ? whole[offset - 1] : "\n";
    const next = offset + run.length < whole.length ? whole[offset + run.length] : "\n";
    const spaced = /[ \t]/.test(run);
    return spaced && prev !== "\n" && prev !== "\r" && next !== "\n" && next !== "\r" ? " " : "";
  });
}

const EMPTY_MARK = "\uE000";

/** Slot values for a generation prompt from a knowledge-base entry and an optional package (null = simple prompt). */
export function generationSlots(entry: { cweId: string; title: string; description: string }, packageName: string | null): TSlotValues {
  return { ISSUE: entry.title, DESCRIPTION: entry.description, CWE: entry.cweId, PACKAGE: packageName };
}

/**
 * Values for every slot a kind may use, for the preview: the entry and package fill the knowledge-base slots, and the
 * slots that only exist during a job (the secure code, analyzer feedback, r-/r+) get labelled placeholders.
 */
export function previewSlotValues(kind: TTemplateKind, entry: { cweId: string; title: string; description: string }, packageName: string | null): TSlotValues {
  const values: TSlotValues = generationSlots(entry, packageName);
  if (kind === "REFINEMENT") {
    values["SECURE CODE"] = "<secure code from the generation answer>";
    values["BANDIT FEEDBACK"] = "<Bandit findings on that code>";
    values["CODEQL FEEDBACK"] = "<CodeQL findings on that code>";
  }
  if (kind === "REASONING") {
    values["r-"] = "<r-: why the insecure code is vulnerable.>";
    values["r+"] = "<r+: why the secure code is fixed.>";
  }
  return values;
}

// ---- defaults -------------------------------------------------------------------------------------------------

export const DEFAULT_GENERATION_BODY = `Here is a security weakness that can occur in Python programs: [ISSUE]. [DESCRIPTION]
Drawing on this description and on what you know about code and its weaknesses, write the following:
1. Vulnerable [PACKAGE] Python code, 20 to 50 lines long, that contains this weakness.
2. One or two sentences explaining why this code is vulnerable.
3. A secure version of the same code that removes the weakness with as few changes as possible.
4. One or two sentences explaining why the secure version is safe.
5. A short instruction (one or two sentences) that a language model could follow to write either version of the code.
Do not put any comments in the code. Keep each explanation to one or two sentences. Keep the weakness implicit: the instruction must not name it.
Answer in exactly this format:
VUL: <vulnerable code>
REASON: <why the vulnerable code is vulnerable>
SEC: <secure code>
REASON: <why the secure code is safe>
INST: <instruction>`;

export const DEFAULT_REFINEMENT_BODY = `Here is some Python code:
[SECURE CODE]
The Bandit analyzer reported these security issues in it:
[BANDIT FEEDBACK]
The CodeQL analyzer reported these security issues in it:
[CODEQL FEEDBACK]
Taking these reports and your own knowledge of secure coding into account, write a fixed version of the code and a few sentences explaining why it is fixed.
Answer in exactly this format:
FIX: <fixed code>
REASON: <why this code is fixed>`;

/** The form in the released DiSCo data: title in single quotes, then description, r- and r+ run together. */
export const RELEASED_REASONING_BODY = `The code may have the vulnerability [CWE]: '[ISSUE]'. [DESCRIPTION][r-][r+]`;
/** The paper's Appendix A Listing 3 form (r+ before r-, dot separators), offered so a run can reproduce it. */
export const PAPER_REASONING_BODY = `The code may have the vulnerability [CWE]: [ISSUE].[DESCRIPTION].[r+].[r-].`;

export const DEFAULT_TEMPLATE_NAMES = {
  generation: "disco-generation",
  refinement: "disco-refinement",
  reasoning: "disco-reasoning",
  reasoningPaper: "disco-reasoning-paper",
} as const;

export const DEFAULT_TEMPLATES: { name: string; kind: TTemplateKind; body: string }[] = [
  { name: DEFAULT_TEMPLATE_NAMES.generation, kind: "GENERATION", body: DEFAULT_GENERATION_BODY },
  { name: DEFAULT_TEMPLATE_NAMES.refinement, kind: "REFINEMENT", body: DEFAULT_REFINEMENT_BODY },
  { name: DEFAULT_TEMPLATE_NAMES.reasoning, kind: "REASONING", body: RELEASED_REASONING_BODY },
  { name: DEFAULT_TEMPLATE_NAMES.reasoningPaper, kind: "REASONING", body: PAPER_REASONING_BODY },
];

// ---- persistence ----------------------------------------------------------------------------------------------

export type TPromptTemplate = {
  id: string;
  name: string;
  kind: TTemplateKind;
  version: number;
  body: string;
  createdById: string | null;
  createdAt: Date;
};

export const ZTemplateName = z
  .string()
  .trim()
  .min(1, "name is required")
  .max(100, "name is at most 100 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "name may use letters, digits, '.', '_' and '-' and must start with a letter or digit");

export const ZSaveTemplate = z.object({
  name: ZTemplateName,
  kind: ZTemplateKind,
  body: z.string().max(50_000, "body is at most 50,000 characters"),
  userId: z.string().uuid().nullable().optional(),
});
export type TSaveTemplate = z.infer<typeof ZSaveTemplate>;

/** Creates version 1 of each default template that does not exist yet; never touches existing versions. */
export async function ensureDefaultTemplates(db: Db): Promise<{ created: number }> {
  const existing = await db.promptTemplate.findMany({
    where: { name: { in: DEFAULT_TEMPLATES.map((t) => t.name) } },
    select: { name: true },
    distinct: ["name"],
  });
  const have = new Set(existing.map((t) => t.name));
  const missing = DEFAULT_TEMPLATES.filter((t) => !have.has(t.name));
  if (missing.length === 0) return { created: 0 };
  // skipDuplicates: two processes seeding at once both succeed and leave one version 1.
  const result = await db.promptTemplate.createMany({
    data: missing.map((t) => ({ name: t.name, kind: t.kind, version: 1, body: t.body })),
    skipDuplicates: true,
  });
  return { created: result.count };
}

/**
 * Saves `body` as the next version of template `name` (version 1 if new). The kind of a name is fixed by its first
 * version. Concurrent saves of the same name cannot share a version number (unique name+version): the loser retries.
 */
export async function saveTemplateVersion(db: Db, input: TSaveTemplate): Promise<TPromptTemplate> {
  const parsed = ZSaveTemplate.safeParse(input);
  if (!parsed.success) throw new TemplateError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const { name, kind, body, userId } = parsed.data;
  const problems = validateTemplateBody(kind, body);
  if (problems.length) throw new TemplateError(`template ${name}: ${problems.join("; ")}`);

  for (let attempt = 0; ; attempt++) {
    const latest = await db.promptTemplate.findFirst({ where: { name }, orderBy: { version: "desc" } });
    if (latest && latest.kind !== kind) {
      throw new TemplateError(`template ${name} is a ${latest.kind.toLowerCase()} template; a new version cannot change it to ${kind.toLowerCase()}`);
    }
    try {
      return await db.promptTemplate.create({
        data: { name, kind, body, version: (latest?.version ?? 0) + 1, createdById: userId ?? null },
      });
    } catch (error) {
      if (attempt < 3 && (error as { code?: string }).code === "P2002") continue;
      throw error;
    }
  }
}

export async function getTemplate(db: Db, id: string): Promise<TPromptTemplate | null> {
  if (!z.string().uuid().safeParse(id).success) return null;
  return db.promptTemplate.findUnique({ where: { id } });
}

export async function latestTemplate(db: Db, name: string): Promise<TPromptTemplate | null> {
  return db.promptTemplate.findFirst({ where: { name }, orderBy: { version: "desc" } });
}

export async function listTemplateVersions(db: Db, name: string): Promise<TPromptTemplate[]> {
  return db.promptTemplate.findMany({ where: { name }, orderBy: { version: "desc" } });
}

/** The latest version of every template, with how many versions each has, ordered by kind then name. */
export async function listLatestTemplates(db: Db): Promise<(TPromptTemplate & { versions: number })[]> {
  const all = await db.promptTemplate.findMany({ orderBy: [{ name: "asc" }, { version: "desc" }] });
  const latest = new Map<string, TPromptTemplate & { versions: number }>();
  for (const t of all) {
    const seen = latest.get(t.name);
    if (seen) seen.versions++;
    else latest.set(t.name, { ...t, versions: 1 });
  }
  const order = (k: TTemplateKind) => TEMPLATE_KINDS.indexOf(k);
  return [...latest.values()].sort((a, b) => order(a.kind) - order(b.kind) || a.name.localeCompare(b.name));
}
