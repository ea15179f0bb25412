// SARIF 2.1.0 (what `codeql database analyze --format=sarif-latest` writes) into our finding shape.
// CodeQL puts query metadata in the rules of the query pack's tool component (runs[].tool.extensions[].rules,
// referenced by result.rule.toolComponent.index), older versions in runs[].tool.driver.rules; both are read.
// CWEs come from rule tags "external/cwe/cwe-078"; severity from the rule's security-severity (GitHub's bands)
// or else the result level; confidence from the rule's precision. Tool notifications that name a file (e.g.
// extraction errors on unparsable code) are returned per file rather than dropped.
import { z } from "zod";
import { findCodeqlQuery } from "./codeql-queries";
import { cweFromCodeqlTag, tryNormalizeCwe } from "./cwe";
import type { TCodeSide, TConfidence, TFinding, TSeverity } from "./finding";

const ZMessage = z.object({ text: z.string().optional(), markdown: z.string().optional() }).passthrough();

const ZArtifactLocation = z
  .object({ uri: z.string().optional(), uriBaseId: z.string().optional(), index: z.number().optional() })
  .passthrough();

const ZRegion = z
  .object({
    startLine: z.number().optional(),
    startColumn: z.number().optional(),
    endLine: z.number().optional(),
    endColumn: z.number().optional(),
  })
  .passthrough();

const ZLocation = z
  .object({
    physicalLocation: z
      .object({ artifactLocation: ZArtifactLocation.optional(), region: ZRegion.optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();

const ZRule = z
  .object({
    id: z.string(),
    name: z.string().optional(),
    shortDescription: ZMessage.optional(),
    defaultConfiguration: z.object({ level: z.string().optional() }).passthrough().optional(),
    properties: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();

const ZToolComponent = z.object({ name: z.string().optional(), semanticVersion: z.string().optional(), version: z.string().optional(), rules: z.array(ZRule).optional() }).passthrough();

const ZRuleRef = z
  .object({ id: z.string().optional(), index: z.number().optional(), toolComponent: z.object({ index: z.number().optional(), name: z.string().optional() }).passthrough().optional() })
  .passthrough();

const ZResult = z
  .object({
    ruleId: z.string().optional(),
    ruleIndex: z.number().optional(),
    rule: ZRuleRef.optional(),
    level: z.string().optional(),
    message: ZMessage,
    locations: z.array(ZLocation).optional(),
  })
  .passthrough();

const ZNotification = z
  .object({
    level: z.string().optional(),
    message: ZMessage,
    descriptor: z.object({ id: z.string().optional() }).passthrough().optional(),
    locations: z.array(ZLocation).optional(),
  })
  .passthrough();

const ZRun = z
  .object({
    tool: z.object({ driver: ZToolComponent, extensions: z.array(ZToolComponent).optional() }).passthrough(),
    results: z.array(ZResult).optional(),
    artifacts: z.array(z.object({ location: ZArtifactLocation.optional() }).passthrough()).optional(),
    invocations: z
      .array(
        z
          .object({
            executionSuccessful: z.boolean().optional(),
            toolExecutionNotifications: z.array(ZNotification).optional(),
          })
          .passthrough(),
      )
      .optional(),
  })
  .passthrough();

export const ZSarifLog = z.object({ version: z.literal("2.1.0"), runs: z.array(ZRun) }).passthrough();

export type SarifLog = z.infer<typeof ZSarifLog>;

/** A finding located by the file it was reported in (the runner maps files back to snippets). */
export type SarifFinding = { file: string; finding: TFinding };
export type SarifToolError = { file: string | null; level: string; message: string; id?: string };

export type ParsedSarif = {
  tool: { name: string; version: string | null };
  findings: SarifFinding[];
  errors: SarifToolError[];
};

type Rule = z.infer<typeof ZRule>;

/** GitHub's bands for security-severity: >= 9 critical, >= 7 high, >= 4 medium, > 0 low. */
export function severityFromScore(score: number): TSeverity {
  if (score >= 9) return "critical";
  if (score >= 7) return "high";
  if (score >= 4) return "medium";
  if (score > 0) return "low";
  return "undefined";
}

function severityFromLevel(level: string | undefined): TSeverity {
  if (level === "error") return "high";
  if (level === "warning") return "medium";
  if (level === "note") return "low";
  return "undefined";
}

/** A query's @problem.severity as a SARIF level (CodeQL writes "recommendation" as "note"). */
function levelOfProblemSeverity(s: unknown): string | undefined {
  return s === "recommendation" ? "note" : typeof s === "string" ? s : undefined;
}

function confidenceFromPrecision(p: unknown): TConfidence {
  if (p === "very-high" || p === "high") return "high";
  if (p === "medium") return "medium";
  if (p === "low") return "low";
  return "undefined";
}

/** Artifact URI -> a relative path with forward slashes ("src/a.py"), or an absolute path for file: URIs. */
export function sarifUriToPath(uri: string): string {
  let u = uri;
  if (u.startsWith("file://")) u = u.slice("file://".length);
  try {
    u = decodeURIComponent(u);
  } catch {
    // Keep the raw text when it is not valid percent-encoding.
  }
  return u.replace(/\\/g, "/");
}

function ruleCwes(rule: Rule | undefined, ruleId: string): string[] {
  const tags = rule?.properties?.tags;
  const fromTags = Array.isArray(tags) ? tags.map((t) => (typeof t === "string" ? cweFromCodeqlTag(t) : null)) : [];
  const cwes = [...new Set(fromTags.filter((c): c is string => c !== null))];
  if (cwes.length) return cwes;
  // Without metadata in the log, fall back to the query's own header tags.
  return (findCodeqlQuery(ruleId)?.cwes ?? []).map((c) => tryNormalizeCwe(c)!).filter(Boolean);
}

export function parseSarif(log: unknown, side: TCodeSide): ParsedSarif {
  const sarif = ZSarifLog.parse(log);
  const findings: SarifFinding[] = [];
  const errors: SarifToolError[] = [];
  let toolName = "unknown";
  let toolVersion: string | null = null;
  for (const run of sarif.runs) {
    const components = [run.tool.driver, ...(run.tool.extensions ?? [])];
    toolName = run.tool.driver.name ?? toolName;
    toolVersion = run.tool.driver.semanticVersion ?? run.tool.driver.version ?? toolVersion;
    const artifactUri = (loc: z.infer<typeof ZArtifactLocation> | undefined): string | null => {
      if (!loc) return null;
      if (loc.uri !== undefined) return sarifUriToPath(loc.uri);
      if (loc.index !== undefined) {
        const a = run.artifacts?.[loc.index]?.location?.uri;
        return a !== undefined ? sarifUriToPath(a) : null;
      }
      return null;
    };
    const findRule = (r: z.infer<typeof ZResult>): Rule | undefined => {
      const compIdx = r.rule?.toolComponent?.index;
      const ruleIdx = r.rule?.index ?? r.ruleIndex;
      const id = r.ruleId ?? r.rule?.id;
      if (compIdx !== undefined && ruleIdx !== undefined) {
        const rule = components[compIdx]?.rules?.[ruleIdx];
        if (rule) return rule;
      }
      if (ruleIdx !== undefined && compIdx === undefined) {
        const rule = run.tool.driver.rules?.[ruleIdx];
        if (rule && (id === undefined || rule.id === id)) return rule;
      }
      for (const c of components) {
        const rule = c.rules?.find((x) => x.id === id);
        if (rule) return rule;
      }
      return undefined;
    };
    for (const r of run.results ?? []) {
      const rule = findRule(r);
      const ruleId = r.ruleId ?? r.rule?.id ?? rule?.id;
      if (!ruleId) continue;
      const props = rule?.properties ?? {};
      const known = findCodeqlQuery(ruleId);
      const loc = r.locations?.[0]?.physicalLocation;
      const file = artifactUri(loc?.artifactLocation);
      if (file === null) continue;
      const region = loc?.region ?? {};
      const startLine = Math.max(1, region.startLine ?? 1);
      const endLine = Math.max(startLine, region.endLine ?? startLine);
      const score = Number(props["security-severity"] ?? known?.securitySeverity ?? NaN);
      const level =
        r.level ??
        rule?.defaultConfiguration?.level ??
        levelOfProblemSeverity(props["problem.severity"] ?? known?.problemSeverity);
      const cwes = ruleCwes(rule, ruleId);
      findings.push({
        file,
        finding: {
          tool: "codeql",
          ruleId,
          ruleName:
            (props.name as string | undefined) ?? rule?.shortDescription?.text ?? known?.name ?? rule?.name ?? ruleId,
          cwe: cwes[0] ?? null,
          severity: Number.isFinite(score) ? severityFromScore(score) : severityFromLevel(level),
          confidence: confidenceFromPrecision(props.precision ?? known?.precision),
          side,
          startLine,
          endLine,
          startColumn: region.startColumn !== undefined ? Math.max(1, region.startColumn) : null,
          endColumn: region.endColumn !== undefined ? Math.max(1, region.endColumn) : null,
          message: r.message.text ?? r.message.markdown ?? "",
          ...(cwes.length ? { cwes } : {}),
        },
      });
    }
    for (const inv of run.invocations ?? []) {
      for (const n of inv.toolExecutionNotifications ?? []) {
        if (n.level !== "error" && n.level !== "warning") continue;
        const files = (n.locations ?? []).map((l) => artifactUri(l.physicalLocation?.artifactLocation));
        const base = { level: n.level, message: n.message.text ?? n.message.markdown ?? "", ...(n.descriptor?.id ? { id: n.descriptor.id } : {}) };
        if (files.length === 0) errors.push({ file: null, ...base });
        for (const file of files) errors.push({ file, ...base });
      }
    }
  }
  return { tool: { name: toolName, version: toolVersion }, findings, errors };
}
