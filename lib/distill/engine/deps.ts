// Wires the engine to the real parts: the OpenAI-compatible client for the job's provider, the answer parsers, the
// generation checks and the reasoning builder.
import type { Db } from "../../db/client";
import { createLlmClient, type TLlmClientOptions } from "../../llm/client";
import { providerCredentials } from "../../llm/providers";
import { PythonSyntaxChecker } from "../../python/syntax-checker";
import { parseGenerationAnswer, parseRefinementAnswer } from "../parse-answer";
import { buildReasoning } from "../reasoning";
import type { TEngineDeps, TParsedGeneration } from "./types";

/** True when the instruction names the CWE id or the issue title (the paper wants the issue implicit): flagged, not dropped. */
export function instructionNamesIssue(instruction: string, cweId: string, issueTitle: string): boolean {
  const text = instruction.toLowerCase();
  const number = /(\d+)/.exec(cweId)?.[1];
  if (number && new RegExp(`\\bcwe[-_ ]?0*${number}\\b`, "i").test(instruction)) return true;
  const title = issueTitle.trim().toLowerCase();
  return title.length >= 8 && text.includes(title);
}

/**
 * Parses a generation answer and checks it: both codes must parse as Python and the secure code must differ from the
 * insecure code; an instruction that names the issue is kept with the tag "instruction-names-issue".
 */
export async function parseAndValidateGeneration(
  syntax: PythonSyntaxChecker,
  text: string,
  context: { stripComments: boolean; cweId: string; issueTitle: string },
): Promise<TParsedGeneration> {
  const parsed = parseGenerationAnswer(text, { stripComments: context.stripComments ? "python" : "none" });
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const value = parsed.value;
  const record = {
    instruction: value.instruction.trim(),
    insecureCode: value.insecureCode,
    secureCode: value.secureCode,
    reasonInsecure: value.insecureReason.trim(),
    reasonSecure: value.secureReason.trim(),
  };
  if (!record.instruction) return { ok: false, error: "the instruction (INST) is empty" };
  if (record.secureCode.trim() === record.insecureCode.trim()) return { ok: false, error: "the secure code is identical to the insecure code" };
  const [insecure, secure] = await syntax.checkMany([record.insecureCode, record.secureCode]);
  const problems: string[] = [];
  if (!insecure.ok) problems.push(`the insecure code does not parse as Python (line ${insecure.line ?? "?"}: ${insecure.message})`);
  if (!secure.ok) problems.push(`the secure code does not parse as Python (line ${secure.line ?? "?"}: ${secure.message})`);
  if (problems.length) return { ok: false, error: problems.join("; ") };
  const flags = instructionNamesIssue(record.instruction, context.cweId, context.issueTitle) ? ["instruction-names-issue"] : [];
  return { ok: true, record, warnings: parsed.warnings, flags };
}

export async function createEngineDeps(
  db: Db,
  job: { providerId: string | null; concurrency: number },
  clientOptions: Partial<TLlmClientOptions> = {},
): Promise<TEngineDeps & { close: () => Promise<void> }> {
  if (!job.providerId) throw new Error("the job's provider was deleted: create a provider and relaunch");
  const provider = await providerCredentials(db, job.providerId);
  const client = createLlmClient({ baseUrl: provider.baseUrl, apiKey: provider.apiKey, concurrency: job.concurrency, ...clientOptions });
  const syntax = new PythonSyntaxChecker();
  return {
    chat: (request) => client.chat(request),
    parseGeneration: (text, context) => parseAndValidateGeneration(syntax, text, context),
    parseRefinement: async (text, context) => {
      const parsed = parseRefinementAnswer(text, { stripComments: context.stripComments ? "python" : "none" });
      if (!parsed.ok) return { ok: false, error: parsed.error };
      const [check] = await syntax.checkMany([parsed.value.fixedCode]);
      if (!check.ok) return { ok: false, error: `the fixed code does not parse as Python (line ${check.line ?? "?"}: ${check.message})` };
      return { ok: true, code: parsed.value.fixedCode, reason: parsed.value.reason.trim() };
    },
    buildReasoning: (body, values) =>
      buildReasoning(
        {
          cweId: values.cweId,
          title: values.issue,
          description: values.description,
          reasonInsecure: values.reasonInsecure,
          reasonSecure: values.reasonSecure,
          packageName: values.packageName,
        },
        body,
      ),
    close: () => syntax.close(),
  };
}
