// Wires the engine to the real parts: the OpenAI-compatible client for the job's provider, the answer parsers, the
// generation checks (lib/distill/validate) and the reasoning builder.
import type { Db } from "../../db/client";
import { createLlmClient, type TLlmClientOptions } from "../../llm/client";
import { providerCredentials } from "../../llm/providers";
import { PythonSyntaxChecker } from "../../python/syntax-checker";
import { parseGenerationAnswer, parseRefinementAnswer } from "../parse-answer";
import { buildReasoning } from "../reasoning";
import { validateGeneration, validateRefinement } from "../validate";
import type { TEngineDeps, TParsedGeneration } from "./types";

/**
 * Parses a generation answer and checks it (lib/distill/validate): both codes must parse as Python and differ, the
 * instruction must not be empty. Instructions that name or give away the issue are kept, tagged for review
 * ("instruction_names_cwe", ...), as the paper wants the issue implicit but a reviewer decides.
 */
export async function parseAndValidateGeneration(
  syntax: PythonSyntaxChecker,
  text: string,
  context: { stripComments: boolean; cweId: string; issueTitle: string },
): Promise<TParsedGeneration> {
  const parsed = parseGenerationAnswer(text, { stripComments: context.stripComments ? "python" : "none" });
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const validation = await validateGeneration(parsed.value, { entry: { cweId: context.cweId, title: context.issueTitle }, checker: syntax });
  if (!validation.ok) return { ok: false, error: validation.problems.filter((p) => p.severity === "error").map((p) => p.message).join("; ") };
  const value = parsed.value;
  const flags = [...new Set(validation.problems.filter((p) => p.severity === "flag").map((p) => p.code.replaceAll("_", "-")))];
  return {
    ok: true,
    record: {
      instruction: value.instruction.trim(),
      insecureCode: value.insecureCode,
      secureCode: value.secureCode,
      reasonInsecure: value.insecureReason.trim(),
      reasonSecure: value.secureReason.trim(),
    },
    warnings: parsed.warnings,
    flags,
  };
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
      const validation = await validateRefinement(parsed.value.fixedCode, { previousCode: context.previousCode, checker: syntax });
      if (!validation.ok) return { ok: false, error: validation.problems.map((p) => p.message).join("; ") };
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
