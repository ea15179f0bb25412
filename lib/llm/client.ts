// A chat client for any OpenAI-compatible endpoint, built on the `openai` package, with one retry policy (ours) and a
// concurrency limit shared by every call made through the same client.
//
// Retry policy: 429, 5xx, network errors and timeouts are retried with exponential backoff and jitter, up to maxRetries
// retries; a Retry-After (seconds or HTTP date) or retry-after-ms header replaces the backoff when given (never waiting
// less than the server asked). 4xx other than 429 fail at once, and so does a 429 whose error code is
// `insufficient_quota` (waiting does not refill a quota). The openai package's own retries are off (maxRetries: 0).
// A 200 whose body is not a chat completion is a "bad_response", not retried: the caller stores it as a failed attempt.
//
// The API key is only handed to the openai package. It never appears in errors, results or the request body we return;
// as a belt-and-braces measure any occurrence of it in text coming back from the server is replaced by "***".
import OpenAI, { APIError } from "openai";
import { z } from "zod";

export type TChatMessage = { role: "system" | "user" | "assistant"; content: string };

export type TChatRequest = {
  model: string;
  messages: TChatMessage[];
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
};

export type TChatResult = {
  text: string;
  promptTokens: number;
  completionTokens: number;
  /** Wall time of the successful attempt, in ms (retries and waits not included). */
  latencyMs: number;
  httpStatus: number;
  /** The JSON body that was sent (never contains the key). */
  requestBody: Record<string, unknown>;
  /** The response body as received. */
  rawResponse: string;
  /** 1 when the first try succeeded. */
  attempts: number;
  finishReason: string | null;
  responseId: string | null;
};

export type TLlmErrorKind = "rate_limit" | "server" | "timeout" | "network" | "client" | "bad_response" | "aborted";

export class LlmRequestError extends Error {
  readonly kind: TLlmErrorKind;
  readonly status: number | null;
  /** What the server asked us to wait (last attempt), if it said. */
  readonly retryAfterMs: number | null;
  readonly attempts: number;
  /** Set for the last attempt, so a caller can store the failed attempt with what was sent and received. */
  readonly requestBody: Record<string, unknown>;
  readonly rawResponse: string | null;
  readonly latencyMs: number | null;
  /** True when retrying later may succeed (rate limit, server, timeout, network). */
  readonly retryable: boolean;

  constructor(init: {
    kind: TLlmErrorKind;
    message: string;
    status?: number | null;
    retryAfterMs?: number | null;
    attempts: number;
    requestBody: Record<string, unknown>;
    rawResponse?: string | null;
    latencyMs?: number | null;
    retryable: boolean;
  }) {
    super(init.message);
    this.name = "LlmRequestError";
    this.kind = init.kind;
    this.status = init.status ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.attempts = init.attempts;
    this.requestBody = init.requestBody;
    this.rawResponse = init.rawResponse ?? null;
    this.latencyMs = init.latencyMs ?? null;
    this.retryable = init.retryable;
  }
}

export type TLlmClientOptions = {
  /** e.g. https://api.openai.com/v1 or http://localhost:8000/v1 */
  baseUrl: string;
  /** Omitted for endpoints that need none (a placeholder is sent, as the openai package requires one). */
  apiKey?: string | null;
  /** Per attempt, from sending to the end of the body. Default 120 s. */
  timeoutMs?: number;
  /** Retries after the first try. Default 5. */
  maxRetries?: number;
  /** Requests in flight at once through this client. Default 4. */
  concurrency?: number;
  /** First backoff (before jitter), doubling each retry. Default 1 s. */
  backoffBaseMs?: number;
  /** Cap on one backoff. Default 60 s. */
  backoffMaxMs?: number;
  /** A Retry-After longer than this is not waited out: the call fails with kind rate_limit and retryAfterMs set. Default 5 min. */
  maxRetryAfterMs?: number;
  /** Multiplies every wait (backoff and Retry-After); tests use e.g. 0.01. Default 1. */
  delayScale?: number;
  /** Injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Which body field carries the token limit; newer OpenAI models want max_completion_tokens. Default max_tokens. */
  maxTokensParam?: "max_tokens" | "max_completion_tokens";
  /** Injectable fetch (passed to the openai package). */
  fetch?: typeof fetch;
};

export type TLlmClient = {
  chat(request: TChatRequest): Promise<TChatResult>;
  /** GET {baseUrl}/models: the model ids the endpoint lists. */
  listModels(options?: { signal?: AbortSignal }): Promise<string[]>;
  readonly baseUrl: string;
  /** Requests in flight now (for tests and progress displays). */
  inFlight(): number;
};

/** A counting semaphore: at most `limit` holders; waiters are served in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];
  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrency must be a positive integer, got ${limit}`);
  }
  get inUse(): number {
    return this.active;
  }
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.active < this.limit) {
      this.active++;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(wake);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal?.reason ?? new Error("aborted"));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(wake);
    });
    // The slot was handed over by release() without decrementing.
    return this.releaser();
  }
  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.active--;
    };
  }
}

/**
 * Parses Retry-After style headers into milliseconds: retry-after-ms (OpenAI's, float ms) wins, then retry-after as
 * seconds or as an HTTP date. Returns null when absent or unparseable; never negative.
 */
export function parseRetryAfter(headers: { get(name: string): string | null } | undefined | null, now = Date.now()): number | null {
  if (!headers) return null;
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "") {
    const v = Number(ms);
    if (Number.isFinite(v) && v >= 0) return v;
  }
  const ra = headers.get("retry-after");
  if (ra === null || ra.trim() === "") return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(ra)) return Math.max(0, Number(ra) * 1000);
  const date = Date.parse(ra);
  if (Number.isFinite(date)) return Math.max(0, date - now);
  return null;
}

/** Backoff before retry number `retry` (1-based): base * 2^(retry-1), capped, with "equal jitter" (50-100% of it). */
export function backoffMs(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** (retry - 1));
  return exp / 2 + (exp / 2) * random();
}

const ZChatCompletion = z.object({
  id: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable().optional() }).passthrough(),
        finish_reason: z.string().nullable().optional(),
      }).passthrough(),
    )
    .min(1),
  usage: z
    .object({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative() })
    .passthrough()
    .nullable()
    .optional(),
});

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export function createLlmClient(options: TLlmClientOptions): TLlmClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  if (!/^https?:\/\//i.test(baseUrl)) throw new Error(`LLM base URL must start with http:// or https://, got "${baseUrl}"`);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const maxRetries = options.maxRetries ?? 5;
  const backoffBaseMs = options.backoffBaseMs ?? 1000;
  const backoffMaxMs = options.backoffMaxMs ?? 60_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 5 * 60_000;
  const delayScale = options.delayScale ?? 1;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const maxTokensParam = options.maxTokensParam ?? "max_tokens";
  const apiKey = options.apiKey || null;
  const semaphore = new Semaphore(options.concurrency ?? 4);
  const endpoint = `${baseUrl}/chat/completions`;

  const openai = new OpenAI({
    baseURL: baseUrl,
    apiKey: apiKey ?? "no-key",
    maxRetries: 0,
    // Our own timer aborts the attempt (it also covers reading the body); this one is only a backstop.
    timeout: timeoutMs + 5_000,
    logLevel: "off",
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  const redact = (text: string): string => (apiKey && apiKey.length >= 4 ? text.split(apiKey).join("***") : text);

  async function attemptOnce(
    body: Record<string, unknown>,
    signal: AbortSignal | undefined,
  ): Promise<
    | { ok: true; text: string; status: number; raw: string; promptTokens: number; completionTokens: number; finishReason: string | null; id: string | null; latencyMs: number }
    | { ok: false; kind: TLlmErrorKind; status: number | null; retryAfterMs: number | null; message: string; raw: string | null; latencyMs: number; retryable: boolean }
  > {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error("timeout"));
    }, timeoutMs);
    const onUserAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", onUserAbort, { once: true });
    const started = Date.now();
    try {
      const response = await openai.chat.completions
        .create(body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming, { signal: controller.signal })
        .asResponse();
      const raw = redact(await response.text());
      const latencyMs = Date.now() - started;
      let parsedJson: unknown;
      try {
        parsedJson = JSON.parse(raw);
      } catch {
        return { ok: false, kind: "bad_response", status: response.status, retryAfterMs: null, message: `POST ${endpoint}: HTTP ${response.status} with a body that is not JSON`, raw, latencyMs, retryable: false };
      }
      const parsed = ZChatCompletion.safeParse(parsedJson);
      if (!parsed.success) {
        return { ok: false, kind: "bad_response", status: response.status, retryAfterMs: null, message: `POST ${endpoint}: HTTP ${response.status} but the body is not a chat completion (${parsed.error.issues[0]?.path.join(".") || "root"}: ${parsed.error.issues[0]?.message})`, raw, latencyMs, retryable: false };
      }
      const choice = parsed.data.choices[0];
      const content = choice.message.content;
      if (typeof content !== "string") {
        return { ok: false, kind: "bad_response", status: response.status, retryAfterMs: null, message: `POST ${endpoint}: the completion has no text content (finish_reason ${choice.finish_reason ?? "none"})`, raw, latencyMs, retryable: false };
      }
      return {
        ok: true,
        text: content,
        status: response.status,
        raw,
        promptTokens: parsed.data.usage?.prompt_tokens ?? 0,
        completionTokens: parsed.data.usage?.completion_tokens ?? 0,
        finishReason: choice.finish_reason ?? null,
        id: parsed.data.id ?? null,
        latencyMs,
      };
    } catch (err) {
      const latencyMs = Date.now() - started;
      if (signal?.aborted && !timedOut) {
        return { ok: false, kind: "aborted", status: null, retryAfterMs: null, message: `POST ${endpoint}: aborted by the caller`, raw: null, latencyMs, retryable: false };
      }
      if (timedOut) {
        return { ok: false, kind: "timeout", status: null, retryAfterMs: null, message: `POST ${endpoint}: no complete answer within ${timeoutMs} ms`, raw: null, latencyMs, retryable: true };
      }
      if (err instanceof APIError && typeof err.status === "number") {
        const status = err.status;
        const retryAfterMs = parseRetryAfter(err.headers);
        const errorBody = err.error === undefined ? null : redact(JSON.stringify(err.error));
        const serverMessage = redact(((err.error as { message?: unknown } | undefined)?.message as string | undefined) ?? err.message);
        const code = (err.error as { code?: unknown } | undefined)?.code;
        if (status === 429) {
          const quota = code === "insufficient_quota";
          return { ok: false, kind: "rate_limit", status, retryAfterMs, message: `POST ${endpoint}: HTTP 429 ${quota ? "insufficient quota" : "rate limited"}: ${serverMessage}`, raw: errorBody, latencyMs, retryable: !quota };
        }
        if (status >= 500) {
          return { ok: false, kind: "server", status, retryAfterMs, message: `POST ${endpoint}: HTTP ${status}: ${serverMessage}`, raw: errorBody, latencyMs, retryable: true };
        }
        return { ok: false, kind: "client", status, retryAfterMs, message: `POST ${endpoint}: HTTP ${status}: ${serverMessage}`, raw: errorBody, latencyMs, retryable: false };
      }
      const cause = err instanceof Error ? (err.cause instanceof Error ? `${err.message} (${err.cause.message})` : err.message) : String(err);
      return { ok: false, kind: "network", status: null, retryAfterMs: null, message: `POST ${endpoint}: connection failed: ${redact(cause)}`, raw: null, latencyMs, retryable: true };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onUserAbort);
    }
  }

  async function chat(request: TChatRequest): Promise<TChatResult> {
    const requestBody: Record<string, unknown> = { model: request.model, messages: request.messages.map((m) => ({ role: m.role, content: m.content })) };
    if (request.temperature !== undefined) requestBody.temperature = request.temperature;
    if (request.maxTokens !== undefined) requestBody[maxTokensParam] = request.maxTokens;

    let attempts = 0;
    for (;;) {
      attempts++;
      let release: () => void;
      try {
        release = await semaphore.acquire(request.signal);
      } catch {
        throw new LlmRequestError({ kind: "aborted", message: `POST ${endpoint}: aborted by the caller`, attempts: attempts - 1, requestBody, retryable: false });
      }
      let outcome: Awaited<ReturnType<typeof attemptOnce>>;
      try {
        outcome = await attemptOnce(requestBody, request.signal);
      } finally {
        release();
      }
      if (outcome.ok) {
        return {
          text: outcome.text,
          promptTokens: outcome.promptTokens,
          completionTokens: outcome.completionTokens,
          latencyMs: outcome.latencyMs,
          httpStatus: outcome.status,
          requestBody,
          rawResponse: outcome.raw,
          attempts,
          finishReason: outcome.finishReason,
          responseId: outcome.id,
        };
      }
      const fail = (message: string) =>
        new LlmRequestError({
          kind: outcome.ok ? "bad_response" : outcome.kind,
          message,
          status: outcome.ok ? null : outcome.status,
          retryAfterMs: outcome.ok ? null : outcome.retryAfterMs,
          attempts,
          requestBody,
          rawResponse: outcome.ok ? null : outcome.raw,
          latencyMs: outcome.latencyMs,
          retryable: outcome.ok ? false : outcome.retryable,
        });
      if (!outcome.retryable) throw fail(outcome.message);
      if (attempts > maxRetries) throw fail(`${outcome.message} (gave up after ${attempts} attempts)`);
      if (outcome.retryAfterMs !== null && outcome.retryAfterMs > maxRetryAfterMs) {
        throw fail(`${outcome.message} (the server asked to wait ${Math.round(outcome.retryAfterMs / 1000)} s, more than the ${Math.round(maxRetryAfterMs / 1000)} s allowed)`);
      }
      const backoff = backoffMs(attempts, backoffBaseMs, backoffMaxMs, random);
      // Never wait less than the server asked; a little jitter on top so parallel callers do not return in lockstep.
      const wait = outcome.retryAfterMs !== null ? outcome.retryAfterMs + Math.min(250, outcome.retryAfterMs * 0.1) * random() : backoff;
      try {
        await sleep(wait * delayScale, request.signal);
      } catch {
        throw new LlmRequestError({ kind: "aborted", message: `POST ${endpoint}: aborted by the caller while waiting to retry`, attempts, requestBody, retryable: false });
      }
    }
  }

  async function listModels(opts: { signal?: AbortSignal } = {}): Promise<string[]> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error("timeout")), Math.min(timeoutMs, 30_000));
    const onAbort = () => controller.abort(opts.signal?.reason);
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const ids: string[] = [];
      for await (const m of openai.models.list({ signal: controller.signal })) ids.push(m.id);
      return ids;
    } catch (err) {
      const status = err instanceof APIError && typeof err.status === "number" ? err.status : null;
      const message = err instanceof Error ? redact(err.message) : String(err);
      throw new LlmRequestError({
        kind: controller.signal.aborted ? "timeout" : status === null ? "network" : status === 429 ? "rate_limit" : status >= 500 ? "server" : "client",
        message: `GET ${baseUrl}/models: ${status !== null ? `HTTP ${status}: ` : ""}${message}`,
        status,
        attempts: 1,
        requestBody: {},
        retryable: status === null || status === 429 || status >= 500,
      });
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
    }
  }

  return { chat, listModels, baseUrl, inFlight: () => semaphore.inUse };
}
