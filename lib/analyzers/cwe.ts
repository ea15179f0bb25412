// One spelling for CWE ids everywhere ("CWE-78"): analyzers, the knowledge base and MITRE's catalogue write them
// as "CWE-078", "cwe-78", "78" or "external/cwe/cwe-078", and findings are compared and grouped by CWE.

export class InvalidCweError extends Error {
  constructor(readonly input: unknown) {
    super(`not a CWE id: ${JSON.stringify(input)}`);
    this.name = "InvalidCweError";
  }
}

const CWE_PATTERN = /^(?:cwe[-_ ]?)?(\d+)$/i;

/** "CWE-078", "cwe-78", "CWE 78", "78" or 78 -> "CWE-78". Anything else (and CWE-0) throws InvalidCweError. */
export function normalizeCwe(input: string | number): string {
  if (typeof input === "number") {
    if (!Number.isSafeInteger(input) || input <= 0) throw new InvalidCweError(input);
    return `CWE-${input}`;
  }
  if (typeof input !== "string") throw new InvalidCweError(input);
  const m = CWE_PATTERN.exec(input.trim());
  if (!m) throw new InvalidCweError(input);
  const n = Number(m[1]);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidCweError(input);
  return `CWE-${n}`;
}

/** normalizeCwe, or null instead of throwing (for optional fields in tool output). */
export function tryNormalizeCwe(input: unknown): string | null {
  if (typeof input !== "string" && typeof input !== "number") return null;
  try {
    return normalizeCwe(input);
  } catch {
    return null;
  }
}

/** CodeQL rule tags "external/cwe/cwe-078" -> "CWE-78"; other tags (security, correctness...) -> null. */
export function cweFromCodeqlTag(tag: string): string | null {
  const m = /^external\/cwe\/(cwe-\d+)$/i.exec(tag.trim());
  return m ? tryNormalizeCwe(m[1]) : null;
}

/** The number of a normalized id, for sorting ("CWE-78" -> 78). */
export function cweNumber(cwe: string): number {
  return Number(normalizeCwe(cwe).slice(4));
}
