// LLM providers: a name, an OpenAI-compatible base URL and an optional API key, stored encrypted (lib/llm/secrets.ts).
// Views returned here never carry the key: only whether one is set and a masked hint. The decrypted key is handed out
// only by providerCredentials(), for the server and worker code that makes the calls.
import { z } from "zod";
import type { Db } from "../db/client";
import { recordAudit } from "../audit/record-audit";
import { createLlmClient, LlmRequestError } from "./client";
import { decryptSecret, encryptSecret, maskSecret, SecretKeyError } from "./secrets";

const ZBaseUrl = z
  .string()
  .trim()
  .min(1, "base URL is required")
  .max(500)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "http:" || u.protocol === "https:") && !u.username && !u.password;
    } catch {
      return false;
    }
  }, "base URL must be an http(s) URL without credentials, e.g. https://api.openai.com/v1")
  .transform((v) => v.replace(/\/+$/, ""));

const ZName = z.string().trim().min(1, "name is required").max(100, "name is at most 100 characters");
const ZApiKey = z
  .string()
  .trim()
  .min(1, "API key is empty")
  .max(1000, "API key is at most 1000 characters")
  .refine((v) => !/\s/.test(v), "API key must not contain spaces");

export const ZProviderCreate = z.object({ name: ZName, baseUrl: ZBaseUrl, apiKey: ZApiKey.optional() }).strict();
export type TProviderCreate = z.input<typeof ZProviderCreate>;

/** apiKey: a string replaces the key, null removes it, absent keeps it. */
export const ZProviderUpdate = z.object({ name: ZName.optional(), baseUrl: ZBaseUrl.optional(), apiKey: ZApiKey.nullable().optional() }).strict();
export type TProviderUpdate = z.input<typeof ZProviderUpdate>;

export const ZProviderView = z.object({
  id: z.string(),
  name: z.string(),
  baseUrl: z.string(),
  hasKey: z.boolean(),
  /** "sk-…abcd", or a note when the stored key cannot be read; null without a key. */
  keyHint: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});
export type TProviderView = z.infer<typeof ZProviderView>;

export class ProviderError extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

const SELECT = {
  id: true,
  name: true,
  baseUrl: true,
  apiKeyEncrypted: true,
  createdAt: true,
  createdBy: { select: { email: true } },
} as const;

type TRow = { id: string; name: string; baseUrl: string; apiKeyEncrypted: Uint8Array | null; createdAt: Date; createdBy: { email: string } | null };

function toView(row: TRow): TProviderView {
  let keyHint: string | null = null;
  if (row.apiKeyEncrypted) {
    try {
      keyHint = maskSecret(decryptSecret(row.apiKeyEncrypted));
    } catch {
      keyHint = "(unreadable: the secret key changed; enter the key again)";
    }
  }
  return {
    id: row.id,
    name: row.name,
    baseUrl: row.baseUrl,
    hasKey: row.apiKeyEncrypted !== null,
    keyHint,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy?.email ?? null,
  };
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown })?.code === "P2002";
}

export async function listProviders(db: Db): Promise<TProviderView[]> {
  const rows = await db.llmProvider.findMany({ select: SELECT, orderBy: { name: "asc" } });
  return rows.map(toView);
}

export async function getProvider(db: Db, id: string): Promise<TProviderView> {
  const row = await db.llmProvider.findUnique({ where: { id }, select: SELECT });
  if (!row) throw new ProviderError(404, `provider ${id} not found`);
  return toView(row);
}

export async function createProvider(db: Db, input: TProviderCreate, actorId: string | null): Promise<TProviderView> {
  const data = ZProviderCreate.parse(input);
  try {
    const row = await db.llmProvider.create({
      data: { name: data.name, baseUrl: data.baseUrl, apiKeyEncrypted: data.apiKey ? encryptSecret(data.apiKey) : null, createdById: actorId },
      select: SELECT,
    });
    await recordAudit(db, { actorId, action: "llm_provider.create", entityType: "llm_provider", entityId: row.id, detail: { name: row.name, baseUrl: row.baseUrl, hasKey: !!data.apiKey } });
    return toView(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ProviderError(409, `a provider named "${data.name}" already exists`);
    throw err;
  }
}

export async function updateProvider(db: Db, id: string, input: TProviderUpdate, actorId: string | null): Promise<TProviderView> {
  const data = ZProviderUpdate.parse(input);
  const existing = await db.llmProvider.findUnique({ where: { id }, select: { id: true } });
  if (!existing) throw new ProviderError(404, `provider ${id} not found`);
  try {
    const row = await db.llmProvider.update({
      where: { id },
      data: {
        ...(data.name !== undefined ? { name: data.name } : {}),
        ...(data.baseUrl !== undefined ? { baseUrl: data.baseUrl } : {}),
        ...(data.apiKey !== undefined ? { apiKeyEncrypted: data.apiKey === null ? null : encryptSecret(data.apiKey) } : {}),
      },
      select: SELECT,
    });
    await recordAudit(db, {
      actorId,
      action: "llm_provider.update",
      entityType: "llm_provider",
      entityId: id,
      // Which fields changed; for the key only whether it was replaced or removed, never its value.
      detail: {
        ...(data.name !== undefined ? { name: data.name } : {}),
        ...(data.baseUrl !== undefined ? { baseUrl: data.baseUrl } : {}),
        ...(data.apiKey !== undefined ? { apiKey: data.apiKey === null ? "removed" : "replaced" } : {}),
      },
    });
    return toView(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ProviderError(409, `a provider named "${data.name}" already exists`);
    throw err;
  }
}

/** Jobs keep their history: their providerId becomes null (schema: onDelete SetNull). */
export async function deleteProvider(db: Db, id: string, actorId: string | null): Promise<void> {
  const row = await db.llmProvider.findUnique({ where: { id }, select: { id: true, name: true } });
  if (!row) throw new ProviderError(404, `provider ${id} not found`);
  await db.llmProvider.delete({ where: { id } });
  await recordAudit(db, { actorId, action: "llm_provider.delete", entityType: "llm_provider", entityId: id, detail: { name: row.name } });
}

/** The base URL and decrypted key, for server/worker code that calls the endpoint. Never return this to a browser. */
export async function providerCredentials(db: Db, id: string): Promise<{ id: string; name: string; baseUrl: string; apiKey: string | null }> {
  const row = await db.llmProvider.findUnique({ where: { id }, select: { id: true, name: true, baseUrl: true, apiKeyEncrypted: true } });
  if (!row) throw new ProviderError(404, `provider ${id} not found`);
  let apiKey: string | null = null;
  if (row.apiKeyEncrypted) {
    try {
      apiKey = decryptSecret(row.apiKeyEncrypted);
    } catch (err) {
      // The stored key cannot be used (secret key changed, or corrupted): a state the user fixes by entering the key again.
      if (err instanceof SecretKeyError) throw new ProviderError(409, `provider "${row.name}": ${err.message}`);
      throw err;
    }
  }
  return { id: row.id, name: row.name, baseUrl: row.baseUrl, apiKey };
}

export const ZProviderTestResult = z.object({
  ok: z.boolean(),
  /** "models": GET /models answered; "chat": /models failed and a 1-token chat with `model` answered. */
  method: z.enum(["models", "chat"]).nullable(),
  models: z.array(z.string()),
  latencyMs: z.number(),
  error: z.string().nullable(),
});
export type TProviderTestResult = z.infer<typeof ZProviderTestResult>;

/**
 * "Test connection": GET {baseUrl}/models; when that fails (some compatible servers lack it) and a model is given,
 * a 1-token chat completion. Errors name the endpoint and status, never the key.
 */
export async function testProviderConnection(
  credentials: { baseUrl: string; apiKey: string | null },
  options: { model?: string; timeoutMs?: number } = {},
): Promise<TProviderTestResult> {
  const client = createLlmClient({ baseUrl: credentials.baseUrl, apiKey: credentials.apiKey, timeoutMs: options.timeoutMs ?? 15_000, maxRetries: 0, concurrency: 1 });
  const started = Date.now();
  let firstError: string;
  try {
    const models = await client.listModels();
    return { ok: true, method: "models", models: models.slice(0, 200), latencyMs: Date.now() - started, error: null };
  } catch (err) {
    firstError = err instanceof LlmRequestError ? err.message : "GET /models failed";
  }
  if (options.model) {
    try {
      await client.chat({ model: options.model, messages: [{ role: "user", content: "Say OK." }], maxTokens: 1, temperature: 0 });
      return { ok: true, method: "chat", models: [], latencyMs: Date.now() - started, error: null };
    } catch (err) {
      const msg = err instanceof LlmRequestError ? err.message : "chat request failed";
      return { ok: false, method: null, models: [], latencyMs: Date.now() - started, error: `${firstError}; ${msg}` };
    }
  }
  return { ok: false, method: null, models: [], latencyMs: Date.now() - started, error: firstError };
}
