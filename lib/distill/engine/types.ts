// The pieces the engine plugs together, as plain function types: the LLM call, the answer parsers and validation, and
// the reasoning builder. deps.ts wires the real ones; tests use the same real ones (only the LLM server is faked).
import type { TChatMessage, TChatResult } from "../../llm/client";

export type TGeneratedRecord = {
  instruction: string;
  insecureCode: string;
  secureCode: string;
  reasonInsecure: string;
  reasonSecure: string;
};

export type TParsedGeneration =
  | { ok: true; record: TGeneratedRecord; warnings: string[]; flags: string[] }
  | { ok: false; error: string };

export type TParsedRefinement = { ok: true; code: string; reason: string } | { ok: false; error: string };

export type TEngineDeps = {
  chat: (request: { model: string; messages: TChatMessage[]; temperature: number; maxTokens: number }) => Promise<TChatResult>;
  parseGeneration: (
    text: string,
    context: { stripComments: boolean; cweId: string; issueTitle: string },
  ) => Promise<TParsedGeneration> | TParsedGeneration;
  parseRefinement: (text: string, context: { stripComments: boolean; previousCode: string }) => Promise<TParsedRefinement> | TParsedRefinement;
  buildReasoning: (
    templateBody: string,
    values: { cweId: string; issue: string; description: string; packageName: string | null; reasonInsecure: string; reasonSecure: string },
  ) => string;
};
