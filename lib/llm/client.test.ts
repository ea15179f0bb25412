// The client against the in-process OpenAI-compatible server, through the real `openai` package.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import {
  discoBehaviour,
  fakeTokenCount,
  rateLimitReply,
  sequenceBehaviour,
  serverErrorReply,
  startFakeOpenAI,
  type TFakeOpenAI,
} from "../testing/fake-openai-server";
import { backoffMs, createLlmClient, LlmRequestError, parseRetryAfter, Semaphore } from "./client";

const KEY = "sk-test-secret-key-0123456789abcdef";
let server: TFakeOpenAI;

beforeAll(async () => {
  server = await startFakeOpenAI({ apiKey: KEY });
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  server.setBehaviour(discoBehaviour());
  server.reset();
});

const messages = [{ role: "user" as const, content: "The following is a security issue found in Python: CWE-327 weak hash. Give VUL: REASON: SEC: REASON: INST:" }];

describe("fake server with the real openai package", () => {
  it("answers chat completions and lists models", async () => {
    const openai = new OpenAI({ baseURL: server.baseUrl, apiKey: KEY, maxRetries: 0 });
    const res = await openai.chat.completions.create({ model: "gpt-4o-2024-08-06", messages });
    expect(res.choices[0].message.content).toContain("VUL:");
    expect(res.choices[0].message.content).toContain('ISSUE = "CWE-327"');
    expect(res.choices[0].finish_reason).toBe("stop");
    expect(res.usage?.prompt_tokens).toBe(fakeTokenCount(messages[0].content));
    const models = [];
    for await (const m of openai.models.list()) models.push(m.id);
    expect(models).toContain("gpt-4o-2024-08-06");
    expect(server.requests).toHaveLength(1);
    expect((server.requests[0].body as { model: string }).model).toBe("gpt-4o-2024-08-06");
  });

  it("refuses a wrong key with 401", async () => {
    const openai = new OpenAI({ baseURL: server.baseUrl, apiKey: "sk-wrong", maxRetries: 0 });
    await expect(openai.chat.completions.create({ model: "m", messages })).rejects.toMatchObject({ status: 401 });
  });
});

describe("createLlmClient", () => {
  it("returns text, usage, status, the body sent (no key) and the raw response", async () => {
    const client = createLlmClient({ baseUrl: server.baseUrl, apiKey: KEY });
    const r = await client.chat({ model: "gpt-4o", messages, temperature: 0.01, maxTokens: 2000 });
    expect(r.text).toContain("SEC:");
    expect(r.httpStatus).toBe(200);
    expect(r.attempts).toBe(1);
    expect(r.promptTokens).toBe(fakeTokenCount(messages[0].content));
    expect(r.completionTokens).toBe(fakeTokenCount(r.text));
    expect(r.requestBody).toEqual({ model: "gpt-4o", messages, temperature: 0.01, max_tokens: 2000 });
    expect(server.requests[0].body).toEqual(r.requestBody);
    expect(JSON.parse(r.rawResponse).choices[0].message.content).toBe(r.text);
    expect(JSON.stringify(r)).not.toContain(KEY);
    expect(r.finishReason).toBe("stop");
  });

  it("honours Retry-After on 429 (scaled) and then succeeds", async () => {
    server.setBehaviour(sequenceBehaviour([rateLimitReply(2)]));
    // delayScale 0.1: Retry-After 2 s -> at least 200 ms; backoff would have been ~1-2 ms.
    const client = createLlmClient({ baseUrl: server.baseUrl, apiKey: KEY, delayScale: 0.1, backoffBaseMs: 10 });
    const r = await client.chat({ model: "gpt-4o", messages });
    expect(r.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
    const gap = server.requests[1].receivedAt - server.requests[0].receivedAt;
    expect(gap).toBeGreaterThanOrEqual(195);
    expect(gap).toBeLessThan(1500);
  });

  it("honours retry-after-ms and an HTTP-date Retry-After", async () => {
    server.setBehaviour(sequenceBehaviour([rateLimitReply(0, { "retry-after-ms": "300" })]));
    const client = createLlmClient({ baseUrl: server.baseUrl, apiKey: KEY, backoffBaseMs: 1 });
    await client.chat({ model: "gpt-4o", messages });
    expect(server.requests[1].receivedAt - server.requests[0].receivedAt).toBeGreaterThanOrEqual(295);

    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }), now)).toBe(30_000);
    expect(parseRetryAfter(new Headers({ "retry-after": "1.5" }), now)).toBe(1500);
    expect(parseRetryAfter(new Headers({ "retry-after": "garbage" }), now)).toBeNull();
    expect(parseRetryAfter(new Headers({ "retry-after": "Wed, 31 Dec 2025 00:00:00 GMT" }), now)).toBe(0);
  });

  it("retries a 500 with backoff, then succeeds", async () => {
    server.setBehaviour(sequenceBehaviour([serverErrorReply(500), serverErrorReply(503)]));
    const client = createLlmClient({ baseUrl: server.baseUrl, apiKey: KEY, backoffBaseMs: 100, delayScale: 1, random: () => 1 });
    const r = await client.chat({ model: "gpt-4o", messages });
    expect(r.attempts).toBe(3);
    // random() = 1 -> full backoff: 100 ms, then 200 ms.
    expect(server.requests[1].receivedAt - server.requests[0].receivedAt).toBeGreaterThanOrEqual(95);
    expect(server.requests[2].receivedAt - server.requests[1].receivedAt).toBeGreaterThanOrEqual(195);
  });

  it("gives up after maxRetries with kind server", async () => {
    server.setBehaviour(() => serverErrorReply(502));
    const client = createLlmClient({ baseUrl: server.baseUrl, apiKey: KEY, backoffBaseMs: 1, maxRetries: 2 });
    const err = await client.chat({ model: "gpt-4o", messages }).catch((e) => e);
    expect(err).toBeInstanceOf(LlmRequestError);
    expect(err).toMatchObject({ kind: "server", status: 502, attempts: 3, retryable: true });
    expect(err.message).toContain(`${server.baseUrl}/chat/completions`);
    expect(err.message).not.toContain(KEY);
    expect(server.requests).toHaveLength(3);
  });

  it("fails at once on 400 (no retry)", async () => {
    server.setBehaviour(() => ({ kind: "status", status: 400, message: "Invalid model" }));
    const client = createLlmClient({ baseUrl: server.baseUrl, apiKey: KEY, backoffBaseMs: 1 });
    const err = await client.chat({ model: "nope", messages }).catch((e) => e);
    expect(err).toMatchObject({ kind: "client", status: 400, attempts: 1, retryable: false });
    expect(err.message).toContain("Invalid model");
    expect(server.requests).toHaveLength(1);
  });

  it("fails at once on a 429 insufficient_quota", async () => {
    server.setBehaviour(() => ({ kind: "status", status: 429, code: "insufficient_quota", message: "You exceeded your current quota" }));
    const client = createLlmClient({ baseUrl: server.baseUrl, apiKey: KEY, backoffBaseMs: 1 });
    const err = await client.chat({ model: "gpt-4o", messages }).catch((e) => e);
    expect(err).toMatchObject({ kind: "rate_limit", attempts: 1, retryable: false });
  });

  it("refuses to wait out a Retry-After longer than allowed", async () => {
    server.setBehaviour(() => rateLimitReply(3600));
    const client = createLlmClient({ baseUrl: server.baseUrl, apiKey: KEY, maxRetryAfterMs: 60_000 });
    const err = await client.chat({ model: "gpt-4o", messages }).catch((e) => e);
    expect(err).toMatchObject({ kind: "rate_limit", status: 429, retryAfterMs: 3_600_000, attempts: 1 });
  });

  it("times out a slow answer, retries, and reports kind timeout when every attempt is slow", async () => {
    server.setBehaviour(sequenceBehaviour([{ kind: "answer", content: "late", delayMs: 1000 }]));
    const client = createLlmClient({ baseUrl: server.baseUrl, apiKey: KEY, timeoutMs: 150, backoffBaseMs: 1 });
    const t0 = Date.now();
    const r = await client.chat({ model: "gpt-4o", messages });
    expect(r.attempts).toBe(2);
    expect(Date.now() - t0).toBeLessThan(900);

    server.setBehaviour(() => ({ kind: "answer", content: "late", delayMs: 1000 }));
    const err = await createLlmClient({ baseUrl: server.baseUrl, apiKey: KEY, timeoutMs: 100, maxRetries: 1, backoffBaseMs: 1 })
      .chat({ model: "gpt-4o", messages })
      .catch((e) => e);
    expect(err).toMatchObject({ kind: "timeout", attempts: 2 });
  });

  it("classifies a dropped connection as network and a non-JSON 200 as bad_response (not retried)", async () => {
    server.setBehaviour(() => ({ kind: "drop" }));
    const err = await createLlmClient({ baseUrl: server.baseUrl, apiKey: KEY, maxRetries: 1, backoffBaseMs: 1 })
      .chat({ model: "gpt-4o", messages })
      .catch((e) => e);
    expect(err).toMatchObject({ kind: "network", attempts: 2 });

    server.reset();
    server.setBehaviour(() => ({ kind: "raw", status: 200, body: "{not json" }));
    const bad = await createLlmClient({ baseUrl: server.baseUrl, apiKey: KEY, backoffBaseMs: 1 })
      .chat({ model: "gpt-4o", messages })
      .catch((e) => e);
    expect(bad).toMatchObject({ kind: "bad_response", attempts: 1, status: 200, rawResponse: "{not json" });
    expect(server.requests).toHaveLength(1);
  });

  it("keeps at most `concurrency` requests in flight, observed on the server", async () => {
    server.setBehaviour(discoBehaviour({ delayMs: 60 }));
    const client = createLlmClient({ baseUrl: server.baseUrl, apiKey: KEY, concurrency: 3 });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => client.chat({ model: "gpt-4o", messages: [{ role: "user", content: `prompt ${i} VUL:` }] })),
    );
    expect(results).toHaveLength(10);
    expect(server.requests).toHaveLength(10);
    expect(server.maxInFlight).toBe(3);
  });

  it("stops when the caller aborts", async () => {
    server.setBehaviour(() => ({ kind: "answer", content: "late", delayMs: 2000 }));
    const client = createLlmClient({ baseUrl: server.baseUrl, apiKey: KEY });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const err = await client.chat({ model: "gpt-4o", messages, signal: ac.signal }).catch((e) => e);
    expect(err).toMatchObject({ kind: "aborted", retryable: false });
  });

  it("lists models, and reports a wrong key as a client error without the key", async () => {
    expect(await createLlmClient({ baseUrl: server.baseUrl, apiKey: KEY }).listModels()).toContain("gpt-4o-mini");
    const err = await createLlmClient({ baseUrl: server.baseUrl, apiKey: "sk-wrong-key-xyz" }).listModels().catch((e) => e);
    expect(err).toMatchObject({ kind: "client", status: 401 });
    expect(err.message).not.toContain("sk-wrong-key-xyz");
  });
});

describe("helpers", () => {
  it("backoff doubles and is capped, with 50-100% jitter", () => {
    expect(backoffMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffMs(3, 1000, 60_000, () => 1)).toBe(4000);
    expect(backoffMs(20, 1000, 60_000, () => 1)).toBe(60_000);
  });

  it("semaphore hands slots over in order", async () => {
    const s = new Semaphore(1);
    const order: number[] = [];
    const r1 = await s.acquire();
    const p2 = s.acquire().then((r) => (order.push(2), r));
    const p3 = s.acquire().then((r) => (order.push(3), r));
    expect(s.inUse).toBe(1);
    r1();
    (await p2)();
    (await p3)();
    expect(order).toEqual([2, 3]);
    expect(s.inUse).toBe(0);
  });
});
