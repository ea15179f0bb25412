// Scores one evaluation from its stored generations, whoever produced them (a trained checkpoint, a base model, a
// frontier API): a generator only has to insert `generations` rows (rawText, and extractedCode when it extracted; when it
// did not, the evaluation's decoding.promptStyle says how, see prompts.ts / extract.ts). Then:
// - every generation gets isValid/parseError;
// - security benchmarks: findings are stored on the generation (cross-tool duplicates linked) and a SECURITY score
//   (issueCount; passed = no issue);
// - utility benchmarks: each valid extraction + the item's tests runs in the sandbox, a UTILITY score (passed, exitCode,
//   durationMs, detail = the end of the output);
// - the evaluation's summary {valid, invalid, insecure, issues, InS, I@100, pass@1, pass@5, perCwe, ...}, its analyzer
//   versions and status.
// Scoring again replaces the previous findings and scores, so it can be re-run after a tool upgrade.
import { z } from "zod";
import type { CodeqlOptions } from "../analyzers/codeql";
import type { Db } from "../db/client";
import { PythonSyntaxChecker } from "../python/syntax-checker";
import { extractCode } from "./extract";
import { ZScoreEvaluationPayload, type TScoreEvaluationPayload } from "./job-payloads";
import { buildPrompt, ZPromptStyle } from "./prompts";
import type { TSandboxOptions } from "./sandbox";
import { aggregateSecurity, analyzeSecurity } from "./security-score";
import type { TEvaluationSummary } from "./summary";
import { aggregateUtility, buildTestProgram, runUtilityPrograms } from "./utility-score";

export { ZScoreEvaluationPayload } from "./job-payloads";
export type { TScoreEvaluationPayload } from "./job-payloads";

export class EvaluationNotFoundError extends Error {}

export type TScoreContext = {
  syntax?: PythonSyntaxChecker;
  sandbox?: TSandboxOptions;
  codeqlOptions?: CodeqlOptions;
  reportProgress?: (done: number, total?: number | null, message?: string) => Promise<void>;
  isCancelled?: () => Promise<boolean>;
};

const ZDecodingStyle = z.object({ promptStyle: ZPromptStyle.optional(), promptPreamble: z.boolean().optional() }).passthrough();

const CHUNK = 500;

export async function scoreEvaluation(db: Db, payloadInput: TScoreEvaluationPayload, context: TScoreContext = {}): Promise<TEvaluationSummary> {
  const payload = ZScoreEvaluationPayload.parse(payloadInput);
  const evaluation = await db.evaluation.findUnique({ where: { id: payload.evaluationId }, include: { benchmark: true } });
  if (!evaluation) throw new EvaluationNotFoundError(`no evaluation with id ${payload.evaluationId}`);
  const generations = await db.generation.findMany({
    where: { evaluationId: evaluation.id },
    include: { item: { select: { id: true, promptKind: true, prompt: true, entryPoint: true, tests: true, metadata: true } } },
    orderBy: [{ itemId: "asc" }, { sampleIndex: "asc" }],
  });
  const decoding = ZDecodingStyle.safeParse(evaluation.decoding ?? {});
  const style = decoding.success ? decoding.data.promptStyle : undefined;
  const isSecurity = evaluation.benchmark.kind === "SECURITY";
  const runSecurity = isSecurity || payload.both;
  const runUtility = !isSecurity || (payload.both && generations.some((g) => g.item.tests));

  await db.evaluation.update({ where: { id: evaluation.id }, data: { status: "RUNNING", error: null } });
  const ownSyntax = !context.syntax;
  const syntax = context.syntax ?? new PythonSyntaxChecker();
  try {
    await context.reportProgress?.(0, generations.length, "extracting and parsing");
    // Extraction: the generator's, else the evaluation's prompt style says how to read the raw text.
    const extracted = generations.map((g) => {
      if (g.extractedCode !== null) return { code: g.extractedCode, error: null as string | null, computed: false };
      if (!style) return { code: null, error: "no extracted code (and the evaluation names no promptStyle to extract with)", computed: false };
      const plan = buildPrompt(g.item, style, { preamble: decoding.data?.promptPreamble }).extraction;
      const r = extractCode(g.rawText, plan);
      return { code: r.code, error: r.error, computed: true };
    });

    const analysis = await analyzeSecurity(
      generations.map((g, k) => ({ id: g.id, code: extracted[k]!.code })),
      // Parse only (no analyzers) when security is not asked for.
      { syntax, codeql: payload.codeql, codeqlOptions: context.codeqlOptions, parseOnly: !runSecurity },
    );
    if (await context.isCancelled?.()) throw new Error("cancelled");

    // Utility runs: only valid code is run; an invalid generation fails without running.
    let outcomes: Awaited<ReturnType<typeof runUtilityPrograms>> = [];
    if (runUtility) {
      const programs = generations.map((g, k) => (analysis.snippets[k]!.valid && g.item.tests ? buildTestProgram(g.item, extracted[k]!.code!) : null));
      outcomes = await runUtilityPrograms(programs, context.sandbox, (done) =>
        done % 20 === 0 || done === programs.length ? context.reportProgress?.(done, programs.length, "running tests in the sandbox") : undefined,
      );
    }

    // Store per generation: validity, findings, scores. Old findings and scores of this evaluation go first.
    const ids = generations.map((g) => g.id);
    for (let from = 0; from < ids.length; from += CHUNK) {
      const chunk = ids.slice(from, from + CHUNK);
      await db.$transaction(async (tx) => {
        await tx.finding.deleteMany({ where: { generationId: { in: chunk } } });
        await tx.score.deleteMany({ where: { generationId: { in: chunk } } });
        for (let k = from; k < Math.min(ids.length, from + CHUNK); k++) {
          const g = generations[k]!;
          const s = analysis.snippets[k]!;
          await tx.generation.update({
            where: { id: g.id },
            data: {
              isValid: s.valid,
              parseError: extracted[k]!.error ?? s.parseError,
              ...(extracted[k]!.computed ? { extractedCode: extracted[k]!.code } : {}),
            },
          });
        }
        if (runSecurity) {
          const findings = chunk.flatMap((_, j) => analysis.snippets[from + j]!.findings.map((f) => ({ f, generationId: ids[from + j]! })));
          findings.sort((a, b) => Number(a.f.duplicateOfId !== null) - Number(b.f.duplicateOfId !== null));
          await tx.finding.createMany({
            data: findings.map(({ f, generationId }) => ({
              id: f.id,
              generationId,
              tool: f.tool,
              toolVersion: analysis.toolVersions[f.tool] ?? null,
              ruleId: f.ruleId,
              ruleName: f.ruleName,
              cweId: f.cwe,
              severity: f.severity,
              confidence: f.confidence,
              side: "GENERATION" as const,
              startLine: f.startLine,
              endLine: f.endLine,
              startColumn: f.startColumn,
              endColumn: f.endColumn,
              message: f.message,
              duplicateOfId: f.duplicateOfId,
            })),
          });
          await tx.score.createMany({
            data: chunk
              .map((generationId, j) => ({ generationId, s: analysis.snippets[from + j]! }))
              .filter(({ s }) => s.valid)
              .map(({ generationId, s }) => ({ generationId, kind: "SECURITY" as const, passed: s.issueCount === 0, issueCount: s.issueCount })),
          });
        }
        if (runUtility) {
          await tx.score.createMany({
            data: chunk.map((generationId, j) => {
              const o = outcomes[from + j]!;
              return { generationId, kind: "UTILITY" as const, passed: o.passed, exitCode: o.exitCode, durationMs: o.durationMs, detail: o.detail };
            }),
          });
        }
      }, { timeout: 120_000 });
    }

    const security = aggregateSecurity(analysis.snippets);
    const byItem = new Map<string, boolean[]>();
    generations.forEach((g, k) => {
      const list = byItem.get(g.itemId) ?? [];
      list.push(outcomes[k]?.passed ?? false);
      byItem.set(g.itemId, list);
    });
    const utility = runUtility ? aggregateUtility(byItem) : null;
    const summary: TEvaluationSummary = {
      generations: generations.length,
      items: byItem.size,
      valid: security.valid,
      invalid: security.invalid,
      insecure: runSecurity ? security.insecure : null,
      issues: runSecurity ? security.issues : null,
      InS: runSecurity ? security.InS : null,
      "I@100": runSecurity ? security["I@100"] : null,
      "pass@1": utility?.["pass@1"] ?? null,
      "pass@5": utility?.["pass@5"] ?? null,
      passed: utility?.passed ?? null,
      perCwe: runSecurity ? security.perCwe : {},
      tools: { python: await syntax.version(), ...analysis.toolVersions, ...(runUtility ? { sandbox: "bubblewrap" } : {}) },
      scoredAt: new Date().toISOString(),
    };
    await db.evaluation.update({
      where: { id: evaluation.id },
      data: { summary, analyzerVersions: summary.tools, status: "SUCCEEDED", finishedAt: new Date(), error: null },
    });
    await context.reportProgress?.(generations.length, generations.length, "scored");
    return summary;
  } catch (error) {
    await db.evaluation
      .update({ where: { id: evaluation.id }, data: { status: "FAILED", error: error instanceof Error ? error.message : String(error) } })
      .catch(() => {});
    throw error;
  } finally {
    if (ownSyntax) await syntax.close();
  }
}
