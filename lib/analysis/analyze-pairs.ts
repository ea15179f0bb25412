// Analysis of stored pairs: for each pair's current revision, checks that both codes parse, runs Bandit (and CodeQL
// where installed) over both sides in one batch, de-duplicates findings across tools, computes the masks for each
// requested tokenizer, and stores it all against that revision. A revision's old results are replaced in one
// transaction, so findings of an earlier revision are never mixed with a new one's.
import crypto from "node:crypto";
import { runBandit } from "../analyzers/bandit";
import { detectCodeql, runCodeql } from "../analyzers/codeql";
import { groupEquivalentFindings } from "../analyzers/dedupe";
import type { TFinding } from "../analyzers/finding";
import type { Db } from "../db/client";
import { computePairMasks } from "../masks/mask-spans";
import type { PythonSyntaxChecker, SyntaxCheckResult } from "../python/syntax-checker";
import type { CodeTokenizer } from "../tokenizers/types";

export type AnalysisTools = {
  syntax: PythonSyntaxChecker;
  tokenizers: CodeTokenizer[];
  /** Run CodeQL too when its CLI is installed (slow: a database per batch). Default true. */
  useCodeql?: boolean;
};

export type PairAnalysisSummary = { pairs: number; findings: number; secureFlagged: number; parseErrors: number; tools: Record<string, string> };

const SIDES = ["insecure", "secure"] as const;

function describeSyntaxError(result: SyntaxCheckResult): string | null {
  if (result.ok) return null;
  return `line ${result.line ?? "?"}${result.column ? `, column ${result.column}` : ""}: ${result.message}`;
}

type StoredFinding = TFinding & { id: string; duplicateOfId: string | null };

/** Gives every finding an id and points the later members of each cross-tool group at the first. */
function linkDuplicates(findings: TFinding[]): StoredFinding[] {
  return groupEquivalentFindings(findings).flatMap((group) => {
    const primaryId = crypto.randomUUID();
    return group.map((finding, index) => ({ ...finding, id: index === 0 ? primaryId : crypto.randomUUID(), duplicateOfId: index === 0 ? null : primaryId }));
  });
}

export async function analyzePairs(db: Db, pairIds: readonly string[], tools: AnalysisTools): Promise<PairAnalysisSummary> {
  const pairs = await db.pair.findMany({ where: { id: { in: [...pairIds] } }, select: { id: true, revision: true } });
  const revisions = await db.pairRevision.findMany({
    where: { OR: pairs.map((pair) => ({ pairId: pair.id, revision: pair.revision })) },
    select: { id: true, pairId: true, revision: true, insecureCode: true, secureCode: true },
  });
  if (revisions.length === 0) return { pairs: 0, findings: 0, secureFlagged: 0, parseErrors: 0, tools: {} };

  const snippets = revisions.flatMap((revision) => SIDES.map((side) => ({ id: `${revision.id}:${side}`, side, code: side === "insecure" ? revision.insecureCode : revision.secureCode })));
  const syntax = await tools.syntax.checkMany(snippets.map((snippet) => snippet.code));

  // Each finding takes the side of the snippet it came from: one analyzer batch covers both sides of every pair.
  const sideOf = new Map(snippets.map((snippet) => [snippet.id, snippet.side]));
  const findingsBySnippet = new Map<string, TFinding[]>(snippets.map((snippet) => [snippet.id, []]));
  const collect = (results: { snippetId: string; findings: TFinding[] }[]) => {
    for (const result of results) {
      const side = sideOf.get(result.snippetId)!;
      findingsBySnippet.get(result.snippetId)!.push(...result.findings.map((finding) => ({ ...finding, side, snippetId: result.snippetId })));
    }
  };
  const toolVersions: Record<string, string> = {};
  const bandit = await runBandit(snippets.map(({ id, code }) => ({ id, code })));
  toolVersions.bandit = bandit.version;
  collect(bandit.results);
  if (tools.useCodeql !== false && (await detectCodeql()).available) {
    const codeql = await runCodeql(snippets.map(({ id, code }) => ({ id, code })));
    toolVersions.codeql = codeql.version;
    collect(codeql.results);
  }

  let findingCount = 0;
  let secureFlagged = 0;
  let parseErrors = 0;
  for (const [index, revision] of revisions.entries()) {
    const insecureError = describeSyntaxError(syntax[index * 2]!);
    const secureError = describeSyntaxError(syntax[index * 2 + 1]!);
    if (insecureError || secureError) parseErrors++;
    const findings = linkDuplicates([...findingsBySnippet.get(`${revision.id}:insecure`)!, ...findingsBySnippet.get(`${revision.id}:secure`)!]);
    const flagged = findings.some((finding) => finding.side === "secure" && !finding.duplicateOfId);
    if (flagged) secureFlagged++;
    findingCount += findings.filter((finding) => !finding.duplicateOfId).length;
    const masks = tools.tokenizers.map((tokenizer) => ({ tokenizerId: tokenizer.id, masks: computePairMasks(tokenizer, revision.insecureCode, revision.secureCode) }));

    await db.$transaction([
      db.finding.deleteMany({ where: { pairRevisionId: revision.id } }),
      // Primaries first: duplicates reference them through a foreign key.
      db.finding.createMany({
        data: [...findings].sort((a, b) => Number(a.duplicateOfId !== null) - Number(b.duplicateOfId !== null)).map((finding) => ({
          id: finding.id,
          pairId: revision.pairId,
          pairRevisionId: revision.id,
          tool: finding.tool,
          toolVersion: toolVersions[finding.tool] ?? null,
          ruleId: finding.ruleId,
          ruleName: finding.ruleName,
          cweId: finding.cwe,
          severity: finding.severity,
          confidence: finding.confidence,
          side: finding.side === "insecure" ? "INSECURE" : "SECURE",
          startLine: finding.startLine,
          endLine: finding.endLine,
          startColumn: finding.startColumn,
          endColumn: finding.endColumn,
          message: finding.message,
          duplicateOfId: finding.duplicateOfId,
        })),
      }),
      ...masks.map(({ tokenizerId, masks: pairMasks }) =>
        db.mask.upsert({
          where: { pairRevisionId_tokenizerId: { pairRevisionId: revision.id, tokenizerId } },
          create: {
            pairId: revision.pairId,
            pairRevisionId: revision.id,
            tokenizerId,
            insecureIds: pairMasks.insecure.ids,
            secureIds: pairMasks.secure.ids,
            insecureMask: Array.from(pairMasks.insecure.mask),
            secureMask: Array.from(pairMasks.secure.mask),
            insecureSpans: pairMasks.insecure.charSpans,
            secureSpans: pairMasks.secure.charSpans,
          },
          update: {
            insecureIds: pairMasks.insecure.ids,
            secureIds: pairMasks.secure.ids,
            insecureMask: Array.from(pairMasks.insecure.mask),
            secureMask: Array.from(pairMasks.secure.mask),
            insecureSpans: pairMasks.insecure.charSpans,
            secureSpans: pairMasks.secure.charSpans,
          },
        }),
      ),
      db.pairRevision.update({ where: { id: revision.id }, data: { analyzedAt: new Date() } }),
      // Only while this is still the pair's current revision: an edit that landed meanwhile gets its own analysis.
      db.pair.updateMany({ where: { id: revision.pairId, revision: revision.revision }, data: { secureFlagged: flagged, insecureParseError: insecureError, secureParseError: secureError } }),
    ]);
  }
  return { pairs: revisions.length, findings: findingCount, secureFlagged, parseErrors, tools: toolVersions };
}
