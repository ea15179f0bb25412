// Parses an LLM's answer in the DiSCo formats (method.md section 2):
//   generation:  VUL: <insecure code> REASON: <why vulnerable> SEC: <secure code> REASON: <why fixed> INST: <instruction>
//   refinement:  FIX: <fixed code> REASON: <why fixed>
// Real answers wrap code in fences, decorate markers (**VUL:**, ### SEC:, "VUL :", "1. VUL:"), add prose before and after,
// reorder sections and use Windows line endings; this parser accepts all of those and says clearly what is missing when
// the answer cannot be used. It never throws on any string (property-tested).
//
// Marker rule: a marker is one of the upper-case words VUL, SEC, REASON, INST, FIX followed by a colon, at the start of
// a line (after optional markdown: "#", ">", "-", "*", "1.", bold ** or __ around the word or the word and colon).
// Only when that finds too few markers are markers accepted anywhere in a line (still upper-case, on a word boundary),
// as the reference code splits on the bare strings. Upper case only, so Python like `sec: int = 5` is never a marker.
//
// Which REASON is which: a REASON belongs to the nearest code section (VUL or SEC) before it. When that leaves the
// insecure or secure reason missing while two REASONs exist, they are taken in order (first = insecure, second =
// secure), as in the format, with a warning.
//
// Comments: stripped from the code as in the reference pipeline (see stripPythonComments for the rule).

export type TCommentMode = "python" | "reference" | "none";

export type TParseOptions = {
  /**
   * "python" (default): every comment outside string literals; "reference": the naive form - from "# " to the end of
   * the line wherever it is, even inside a string, as a plain text filter would; "none": keep comments.
   */
  stripComments?: TCommentMode;
};

export type TGenerationValue = {
  insecureCode: string;
  insecureReason: string;
  secureCode: string;
  secureReason: string;
  instruction: string;
};

export type TRefinementValue = { fixedCode: string; reason: string };

export type TParseResult<T> = { ok: true; value: T; warnings: string[] } | { ok: false; error: string; warnings: string[] };

type TMarkerName = "VUL" | "SEC" | "REASON" | "INST" | "FIX";
type TMarker = { name: TMarkerName; start: number; end: number };

const LINE_MARKER =
  /^[ \t]*(?:#{1,6}[ \t]*|>[ \t]*|(?:\d{1,2}[.)]|[-*+])[ \t]+)?(?:\*\*|__)?[ \t]*(VUL|SEC|REASON|INST|FIX)[ \t]*(?:\*\*|__)?[ \t]*:[ \t]*(?:\*\*|__)?/gm;
/** LINE_MARKER for one line (no g/m flags), to see a fence that follows a marker. */
const LINE_MARKER_ONE = new RegExp(LINE_MARKER.source);
const INLINE_MARKER = /(?:\*\*|__)?\b(VUL|SEC|REASON|INST|FIX)[ \t]*(?:\*\*|__)?[ \t]*:(?:\*\*|__)?/g;

const SECTION_LABEL: Record<TMarkerName, string> = {
  VUL: "VUL (vulnerable code)",
  SEC: "SEC (secure code)",
  REASON: "REASON",
  INST: "INST (instruction)",
  FIX: "FIX (fixed code)",
};

function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(/\u2028|\u2029/g, "\n");
}

function findMarkers(text: string, re: RegExp): TMarker[] {
  const out: TMarker[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push({ name: m[1] as TMarkerName, start: m.index, end: m.index + m[0].length });
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

/**
 * Ranges of the text inside fenced code blocks (opening line to closing line). A fence may follow a marker on its line
 * ("VUL: ```python"). An unclosed fence runs to the end.
 */
function fencedRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let open: { char: string; len: number; start: number } | null = null;
  let pos = 0;
  for (const line of text.split("\n")) {
    const bare = line.replace(LINE_MARKER_ONE, "");
    const m = /^[ \t]*(`{3,}|~{3,})([^\n]*)$/.exec(bare);
    if (m) {
      if (open === null) open = { char: m[1][0], len: m[1].length, start: pos + line.length };
      else if (m[1][0] === open.char && m[1].length >= open.len && m[2].trim() === "") {
        ranges.push([open.start, pos]);
        open = null;
      }
    }
    pos += line.length + 1;
  }
  if (open) ranges.push([open.start, text.length]);
  return ranges;
}

/**
 * Picks the markers: at line starts outside fenced code first (so a "REASON:" line inside code is not a marker); then
 * at line starts anywhere (an answer wrapped as a whole in one fence); then anywhere in a line. The first choice that
 * finds every required section wins, else the one missing fewest.
 */
function locateMarkers(text: string, required: TMarkerName[], warnings: string[]): TMarker[] {
  const missing = (ms: TMarker[]) => required.filter((name) => !ms.some((m) => m.name === name)).length + reasonShortfall(ms, required);
  const atLineStart = findMarkers(text, LINE_MARKER);
  const ranges = fencedRanges(text);
  const outsideFences = atLineStart.filter((m) => !ranges.some(([a, b]) => m.start > a && m.start < b));
  const choices: Array<{ markers: TMarker[]; warning?: string }> = [
    { markers: outsideFences },
    { markers: atLineStart },
    { markers: findMarkers(text, INLINE_MARKER), warning: "section markers were found in the middle of lines" },
  ];
  let best = choices[0];
  for (const choice of choices) {
    if (missing(choice.markers) === 0) {
      best = choice;
      break;
    }
    if (missing(choice.markers) < missing(best.markers)) best = choice;
  }
  if (best.warning) warnings.push(best.warning);
  return best.markers;
}

function reasonShortfall(ms: TMarker[], required: TMarkerName[]): number {
  const wanted = required.filter((r) => r === "REASON").length;
  const have = ms.filter((m) => m.name === "REASON").length;
  return Math.max(0, wanted - have);
}

const FENCE_OPEN = /^[ \t]*(`{3,}|~{3,})[^\n`]*$/m;

/** Removes the common leading indentation of all non-blank lines. */
function dedent(code: string): string {
  const lines = code.split("\n");
  let common: string | null = null;
  for (const line of lines) {
    if (line.trim() === "") continue;
    const indent = /^[ \t]*/.exec(line)![0];
    common = common === null ? indent : commonPrefix(common, indent);
  }
  if (!common) return code;
  const n = common.length;
  return lines.map((l) => (l.trim() === "" ? "" : l.slice(n))).join("\n");
}

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

function trimBlankLines(code: string): string {
  return code.replace(/^(?:[ \t]*\n)+/, "").trimEnd();
}

/** The code in a section: the first fenced block when there is one (unclosed fences run to the end), else the text. */
function extractCode(content: string, label: string, warnings: string[]): string {
  const open = FENCE_OPEN.exec(content);
  let code: string;
  if (open) {
    const fence = open[1];
    const bodyStart = open.index + open[0].length + 1;
    const rest = content.slice(Math.min(bodyStart, content.length));
    const closeRe = new RegExp(`^[ \\t]*${fence[0] === "`" ? "`" : "~"}{${fence.length},}[ \\t]*$`, "m");
    const close = closeRe.exec(rest);
    code = close ? rest.slice(0, close.index) : rest;
    if (!close) warnings.push(`${label}: the code fence is not closed`);
    const outside = content.slice(0, open.index) + (close ? rest.slice(close.index + close[0].length) : "");
    if (outside.replace(/^[ \t]*(`{3,}|~{3,}).*$/gm, "").trim() !== "") warnings.push(`${label}: text outside the code fence was ignored`);
  } else {
    // No opening fence: drop stray fence lines (e.g. an answer wrapped as a whole in one fenced block).
    code = content.replace(/^[ \t]*(`{3,}|~{3,})[^\n]*$/gm, "");
  }
  return trimBlankLines(dedent(code.replace(/^[ \t]*\n/, "")));
}

/** A prose section: fences and markdown emphasis removed, whitespace collapsed; when last, only its first paragraph. */
function extractProse(content: string, isLast: boolean, label: string, warnings: string[]): string {
  let text = content.replace(/^[ \t]*(`{3,}|~{3,})[^\n]*$/gm, "").trim();
  if (isLast) {
    const paragraphs = text.split(/\n[ \t]*\n/);
    if (paragraphs.length > 1 && paragraphs.slice(1).join("").trim() !== "") {
      warnings.push(`${label}: text after its first paragraph was taken as trailing prose and ignored`);
      text = paragraphs[0];
    }
  }
  text = text.replace(/\s+/g, " ").trim();
  text = text.replace(/^(?:\*\*|__)+|(?:\*\*|__)+$/g, "").trim();
  const quoted = /^(["'“`])(.*)(["'”`])$/.exec(text);
  if (quoted && quoted[2].length > 0 && !/["”`]/.test(quoted[2])) text = quoted[2].trim();
  return text;
}

// ---------------------------------------------------------------------------------------------------------------------
// Comments

/**
 * Strips Python comments. Rule ("python"): a `#` outside any string literal starts a comment that runs to the end of
 * the line. String literals are tracked with their quote ('  "  '''  """); a backslash skips the next character
 * (which is also how raw strings behave for finding where they end), and a single-quoted string ends at a newline.
 * After removal, trailing spaces are trimmed and a line that held only a comment is removed; lines that were blank
 * stay. Known limit: nested same-quote strings inside f-string braces (Python 3.12 syntax) are not tracked.
 * "reference": every "# " to the end of its line is removed, inside strings too (a plain text filter).
 */
export function stripPythonComments(code: string, mode: TCommentMode = "python"): string {
  if (mode === "none") return code;
  if (mode === "reference") {
    return code
      .split("\n")
      .flatMap((line) => {
        const i = line.indexOf("# ");
        const hashOnly = line.trimEnd().endsWith("#") && line.trim().startsWith("#");
        if (i < 0 && !hashOnly) return [line];
        const kept = (hashOnly ? "" : line.slice(0, i)).replace(/[ \t]+$/, "");
        return kept.trim() === "" ? [] : [kept];
      })
      .join("\n");
  }
  const out: string[] = [];
  let line = "";
  let hadComment = false;
  let quote: string | null = null;
  let i = 0;
  const flush = () => {
    const kept = hadComment ? line.replace(/[ \t]+$/, "") : line;
    if (!(hadComment && kept.trim() === "")) out.push(kept);
    line = "";
    hadComment = false;
  };
  while (i < code.length) {
    const ch = code[i];
    if (quote === null) {
      if (ch === "#") {
        while (i < code.length && code[i] !== "\n") i++;
        hadComment = true;
        continue;
      }
      if (ch === "\n") {
        flush();
        i++;
        continue;
      }
      if (ch === '"' || ch === "'") {
        const triple = code.startsWith(ch.repeat(3), i);
        quote = triple ? ch.repeat(3) : ch;
        line += quote;
        i += quote.length;
        continue;
      }
      line += ch;
      i++;
      continue;
    }
    // Inside a string.
    if (ch === "\\" && i + 1 < code.length) {
      if (code[i + 1] === "\n") {
        line += "\\";
        flush();
        i += 2;
        continue;
      }
      line += ch + code[i + 1];
      i += 2;
      continue;
    }
    if (code.startsWith(quote, i)) {
      line += quote;
      i += quote.length;
      quote = null;
      continue;
    }
    if (ch === "\n") {
      // A newline ends a single-quoted string (unterminated: a syntax error the checker reports); a triple one goes on.
      if (quote.length === 1) quote = null;
      flush();
      i++;
      continue;
    }
    line += ch;
    i++;
  }
  flush();
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------------------------------
// Parsers

function missingError(missing: string[]): string {
  return `the answer is missing ${missing.length === 1 ? "a section" : "sections"}: ${missing.join(", ")}`;
}

export function parseGenerationAnswer(text: string, options: TParseOptions = {}): TParseResult<TGenerationValue> {
  const warnings: string[] = [];
  if (typeof text !== "string") return { ok: false, error: "the answer is not text", warnings };
  const normalized = normalizeNewlines(text);
  if (normalized.trim() === "") return { ok: false, error: "the answer is empty", warnings };
  const markers = locateMarkers(normalized, ["VUL", "REASON", "SEC", "REASON", "INST"], warnings);
  if (markers.length === 0) {
    return { ok: false, error: "the answer has none of the sections VUL:, REASON:, SEC:, REASON:, INST:", warnings };
  }
  if (normalized.slice(0, markers[0].start).trim() !== "") warnings.push("text before the first section was ignored");
  const fix = markers.filter((m) => m.name === "FIX");
  if (fix.length > 0) warnings.push("a FIX: marker in a generation answer was ignored");

  const order = markers.map((m) => m.name).filter((n) => n !== "FIX");
  const canonical = ["VUL", "REASON", "SEC", "REASON", "INST"];
  if (order.join(",") !== canonical.join(",")) warnings.push(`sections came as ${order.join(", ")} (expected VUL, REASON, SEC, REASON, INST)`);

  const content = (i: number) => normalized.slice(markers[i].end, i + 1 < markers.length ? markers[i + 1].start : normalized.length);
  const isLast = (i: number) => i === markers.length - 1;
  const mode = options.stripComments ?? "python";

  const firstNonEmpty = (name: TMarkerName, get: (i: number) => string): string | null => {
    const idx = markers.map((m, i) => (m.name === name ? i : -1)).filter((i) => i >= 0);
    let found: string | null = null;
    for (const i of idx) {
      const v = get(i);
      if (v.trim() === "") continue;
      if (found === null) found = v;
      else {
        warnings.push(`more than one ${name}: section; the first was used`);
        break;
      }
    }
    return found;
  };

  const codeOf = (label: string) => (i: number) => trimBlankLines(stripPythonComments(extractCode(content(i), label, warnings), mode));
  const insecureCode = firstNonEmpty("VUL", codeOf("VUL"));
  const secureCode = firstNonEmpty("SEC", codeOf("SEC"));
  const instruction = firstNonEmpty("INST", (i) => extractProse(content(i), isLast(i), "INST", warnings));

  // REASONs: owned by the nearest code marker before them.
  const reasons: Array<{ owner: "VUL" | "SEC" | null; text: string }> = [];
  let owner: "VUL" | "SEC" | null = null;
  markers.forEach((m, i) => {
    if (m.name === "VUL" || m.name === "SEC") owner = m.name;
    else if (m.name === "REASON") {
      const t = extractProse(content(i), isLast(i), "REASON", warnings);
      if (t !== "") reasons.push({ owner, text: t });
    }
  });
  let insecureReason = reasons.find((r) => r.owner === "VUL")?.text ?? null;
  let secureReason = reasons.find((r) => r.owner === "SEC")?.text ?? null;
  if ((insecureReason === null || secureReason === null) && reasons.length >= 2) {
    warnings.push("the two REASON: sections were assigned by order (first: vulnerable code, second: secure code)");
    insecureReason = reasons[0].text;
    secureReason = reasons[1].text;
  } else if (insecureReason === null && secureReason === null && reasons.length === 1) {
    // One REASON before any code section: it can only be the first in the format.
    insecureReason = reasons[0].text;
  }

  const missing: string[] = [];
  if (insecureCode === null) missing.push(SECTION_LABEL.VUL);
  if (insecureReason === null) missing.push("REASON for the vulnerable code");
  if (secureCode === null) missing.push(SECTION_LABEL.SEC);
  if (secureReason === null) missing.push("REASON for the secure code");
  if (instruction === null) missing.push(SECTION_LABEL.INST);
  if (missing.length > 0) return { ok: false, error: missingError(missing), warnings };
  return {
    ok: true,
    value: { insecureCode: insecureCode!, insecureReason: insecureReason!, secureCode: secureCode!, secureReason: secureReason!, instruction: instruction! },
    warnings,
  };
}

export function parseRefinementAnswer(text: string, options: TParseOptions = {}): TParseResult<TRefinementValue> {
  const warnings: string[] = [];
  if (typeof text !== "string") return { ok: false, error: "the answer is not text", warnings };
  const normalized = normalizeNewlines(text);
  if (normalized.trim() === "") return { ok: false, error: "the answer is empty", warnings };
  const mode = options.stripComments ?? "python";
  const markers = locateMarkers(normalized, ["FIX", "REASON"], warnings).filter((m) => m.name === "FIX" || m.name === "REASON");
  const content = (i: number) => normalized.slice(markers[i].end, i + 1 < markers.length ? markers[i + 1].start : normalized.length);

  const fixIdx = markers.findIndex((m) => m.name === "FIX");
  let fixedCode = "";
  if (fixIdx >= 0) {
    if (normalized.slice(0, markers[0].start).trim() !== "") warnings.push("text before the first section was ignored");
    fixedCode = trimBlankLines(stripPythonComments(extractCode(content(fixIdx), "FIX", warnings), mode));
    if (markers.filter((m) => m.name === "FIX").length > 1) warnings.push("more than one FIX: section; the first was used");
  } else {
    // No FIX marker: accept an answer that is just one fenced code block (before any REASON).
    const head = markers.length > 0 ? normalized.slice(0, markers[0].start) : normalized;
    if (FENCE_OPEN.test(head)) {
      fixedCode = trimBlankLines(stripPythonComments(extractCode(head, "answer", []), mode));
      if (fixedCode.trim() !== "") warnings.push("no FIX: marker; the fenced code block was taken as the fixed code");
    }
  }
  if (fixedCode.trim() === "") {
    return { ok: false, error: fixIdx >= 0 ? "the FIX: section is empty" : missingError([SECTION_LABEL.FIX]), warnings };
  }
  const reasonIdx = markers.findIndex((m, i) => m.name === "REASON" && (fixIdx < 0 || i > fixIdx));
  const anyReason = reasonIdx >= 0 ? reasonIdx : markers.findIndex((m) => m.name === "REASON");
  let reason = "";
  if (anyReason >= 0) reason = extractProse(content(anyReason), anyReason === markers.length - 1, "REASON", warnings);
  if (reason === "") warnings.push("the answer has no REASON: for the fix");
  return { ok: true, value: { fixedCode, reason }, warnings };
}
