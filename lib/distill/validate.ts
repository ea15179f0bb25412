// Checks a parsed DiSCo generation before it becomes a pair (method.md sections 1-2, issue 5 "Validation"):
//   errors (the pair is not usable): a code is empty or does not parse as Python 3; the secure code equals the
//     insecure code once whitespace is normalised (the released data drops such rows); the instruction is empty.
//   flags (usable, but a reviewer should look): the instruction names the CWE id or the issue title, or uses words
//     that give the issue away - the method requires the issue to be implicit in the instruction.
// The Python check goes through PythonSyntaxChecker (one long-lived interpreter running ast.parse); both codes are sent
// together so they are parsed in one round trip.
import type { PythonSyntaxChecker, SyntaxCheckResult } from "../python/syntax-checker";
import type { TGenerationValue } from "./parse-answer";

export type TProblemSeverity = "error" | "flag";
export type TProblemCode =
  | "empty_code"
  | "insecure_syntax"
  | "secure_syntax"
  | "secure_equals_insecure"
  | "empty_instruction"
  | "instruction_names_cwe"
  | "instruction_names_issue"
  | "instruction_reveals_issue";

export type TValidationProblem = {
  code: TProblemCode;
  severity: TProblemSeverity;
  field: "insecureCode" | "secureCode" | "instruction" | "fixedCode";
  message: string;
  /** The text that matched, for instruction flags. */
  matched?: string;
};

export type TValidation = { ok: boolean; flagged: boolean; problems: TValidationProblem[] };

export type TEntryRef = { cweId: string | null; title: string };

type TChecker = Pick<PythonSyntaxChecker, "checkMany">;

/** Whitespace-insensitive form used to decide whether two codes are "the same". */
export function normalizeWhitespace(code: string): string {
  return code.replace(/\s+/g, " ").trim();
}

function syntaxMessage(which: string, r: Exclude<SyntaxCheckResult, { ok: true }>): string {
  const where = r.line !== null ? ` at line ${r.line}${r.column !== null ? `, column ${r.column}` : ""}` : "";
  return `${which} does not parse as Python${where}: ${r.message}`;
}

const STOPWORDS = new Set(
  "a an and are as at be by for from in into is it of on or the to use used using with without via when where which that this than then its not no can may during under over within between through before after".split(" "),
);

// Words that give an issue away. Matched on word starts (so "inject" matches "injection", "injected").
// ALWAYS: flagged in any instruction (they announce a security issue whatever the entry).
// IF_IN_TITLE: flagged only when the entry's title uses the same word (e.g. "traversal" for a path traversal issue).
const ALWAYS_STEMS = ["vulnerab", "insecur", "exploit", "malicious"];
const IF_IN_TITLE_STEMS = [
  "inject", "travers", "overflow", "underflow", "deserializ", "xss", "cross site", "csrf", "ssrf", "xxe", "hardcod", "hard cod",
  "cleartext", "clear text", "weak", "unsafe", "untrust", "sanitiz", "neutraliz", "unvalidat", "validat", "improper", "exposur",
  "leak", "taint", "race condition", "redos", "tamper", "spoof", "forger", "bypass", "escalat", "broken", "risky", "uncontrolled",
  "unrestricted", "missing", "incorrect", "insufficient", "excessive", "predictable", "permissive", "debug", "backdoor",
];

function normText(text: string): string {
  return ` ${text.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim()} `;
}

function contentWords(text: string): string[] {
  return normText(text).trim().split(" ").filter((w) => w.length > 1 && !STOPWORDS.has(w));
}

/** Flags for an instruction that names or gives away the entry's issue. */
export function instructionIssueFlags(instruction: string, entry: TEntryRef): TValidationProblem[] {
  const flags: TValidationProblem[] = [];
  const inst = normText(instruction);

  const cweRe = /\bCWE[\s_-]*0*(\d+)\b/gi;
  const entryNum = entry.cweId ? /(\d+)/.exec(entry.cweId)?.[1]?.replace(/^0+(?=\d)/, "") : undefined;
  for (const m of instruction.matchAll(cweRe)) {
    const same = entryNum !== undefined && m[1] === entryNum;
    flags.push({
      code: "instruction_names_cwe",
      severity: "flag",
      field: "instruction",
      matched: m[0],
      message: same ? `the instruction names the entry's CWE id (${m[0]})` : `the instruction names a CWE id (${m[0]})`,
    });
  }

  // The whole title, then quoted or parenthesised aliases in it ("... ('OS Command Injection')").
  const phrases = new Set<string>();
  const title = entry.title.trim();
  if (title) phrases.add(title);
  for (const m of title.matchAll(/['"‘“(]([^'"’”()]{3,})['"’”)]/g)) phrases.add(m[1]);
  let namedPhrase = false;
  for (const phrase of phrases) {
    const p = normText(phrase);
    if (p.trim().length >= 3 && inst.includes(p)) {
      flags.push({ code: "instruction_names_issue", severity: "flag", field: "instruction", matched: phrase, message: `the instruction names the issue title ("${phrase}")` });
      namedPhrase = true;
      break;
    }
  }

  // Two consecutive content words of the title appearing together ("command injection", "tls version").
  if (!namedPhrase) {
    const tw = contentWords(title);
    const iw = contentWords(instruction).join(" ");
    for (let i = 0; i + 1 < tw.length; i++) {
      const bigram = `${tw[i]} ${tw[i + 1]}`;
      if (` ${iw} `.includes(` ${bigram} `)) {
        flags.push({ code: "instruction_names_issue", severity: "flag", field: "instruction", matched: bigram, message: `the instruction uses words of the issue title ("${bigram}")` });
        break;
      }
    }
  }

  const titleNorm = normText(title);
  const revealed = new Set<string>();
  for (const stem of ALWAYS_STEMS) if (inst.includes(` ${stem}`)) revealed.add(stem);
  for (const stem of IF_IN_TITLE_STEMS) if (titleNorm.includes(` ${stem}`) && inst.includes(` ${stem}`)) revealed.add(stem);
  for (const stem of revealed) {
    const word = new RegExp(` (${stem}[a-z]*)`).exec(inst)?.[1] ?? stem;
    flags.push({ code: "instruction_reveals_issue", severity: "flag", field: "instruction", matched: word, message: `the instruction gives the issue away with "${word}"` });
  }
  return flags;
}

export async function validateGeneration(value: TGenerationValue, options: { entry: TEntryRef; checker: TChecker }): Promise<TValidation> {
  const problems: TValidationProblem[] = [];
  const codes: Array<{ field: "insecureCode" | "secureCode"; label: string; code: string; syntax: TProblemCode }> = [
    { field: "insecureCode", label: "the insecure code", code: value.insecureCode, syntax: "insecure_syntax" },
    { field: "secureCode", label: "the secure code", code: value.secureCode, syntax: "secure_syntax" },
  ];
  const toCheck = codes.filter((c) => c.code.trim() !== "");
  for (const c of codes) {
    if (c.code.trim() === "") problems.push({ code: "empty_code", severity: "error", field: c.field, message: `${c.label} is empty` });
  }
  const results = await options.checker.checkMany(toCheck.map((c) => c.code));
  toCheck.forEach((c, i) => {
    const r = results[i];
    if (!r.ok) problems.push({ code: c.syntax, severity: "error", field: c.field, message: syntaxMessage(c.label, r) });
  });
  if (toCheck.length === 2 && normalizeWhitespace(value.insecureCode) === normalizeWhitespace(value.secureCode)) {
    problems.push({ code: "secure_equals_insecure", severity: "error", field: "secureCode", message: "the secure code is the same as the insecure code (ignoring whitespace)" });
  }
  if (value.instruction.trim() === "") {
    problems.push({ code: "empty_instruction", severity: "error", field: "instruction", message: "the instruction is empty" });
  } else {
    problems.push(...instructionIssueFlags(value.instruction, options.entry));
  }
  return summarize(problems);
}

/** A refinement's fixed code: not empty, parses, and differs from the code it was meant to fix. */
export async function validateRefinement(fixedCode: string, options: { previousCode: string; checker: TChecker }): Promise<TValidation> {
  const problems: TValidationProblem[] = [];
  if (fixedCode.trim() === "") {
    problems.push({ code: "empty_code", severity: "error", field: "fixedCode", message: "the fixed code is empty" });
    return summarize(problems);
  }
  const [r] = await options.checker.checkMany([fixedCode]);
  if (!r.ok) problems.push({ code: "secure_syntax", severity: "error", field: "fixedCode", message: syntaxMessage("the fixed code", r) });
  if (normalizeWhitespace(fixedCode) === normalizeWhitespace(options.previousCode)) {
    problems.push({ code: "secure_equals_insecure", severity: "error", field: "fixedCode", message: "the fixed code is the same as the code it was to fix (ignoring whitespace)" });
  }
  return summarize(problems);
}

function summarize(problems: TValidationProblem[]): TValidation {
  return { ok: !problems.some((p) => p.severity === "error"), flagged: problems.some((p) => p.severity === "flag"), problems };
}
