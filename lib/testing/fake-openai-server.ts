// An in-process HTTP server that speaks the OpenAI Chat Completions API, for tests only: the paid LLM API cannot run
// here, so this stands in for it at the HTTP level and the real `openai` client talks to it unchanged.
// Each request is answered by a scriptable behaviour (well-formed DiSCo answers built from the prompt, malformed answers,
// 429 with Retry-After, 500s, slow answers, refinement answers); every request is recorded, and the number in flight is
// tracked so tests can check a client's concurrency limit.
import http from "node:http";
import crypto from "node:crypto";
import type { AddressInfo } from "node:net";

export type TFakeMessage = { role: string; content: string };

export type TFakeRequest = {
  /** 0-based arrival order over the server's life. */
  index: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON body (null when the body was not JSON). */
  body: unknown;
  /** Concatenated content of every message (what the behaviours read the prompt from). */
  prompt: string;
  model: string | null;
  receivedAt: number;
};

export type TFakeReply =
  /** A 200 chat completion whose choices[0].message.content is `content`. */
  | { kind: "answer"; content: string; finishReason?: "stop" | "length"; promptTokens?: number; completionTokens?: number; delayMs?: number }
  /** An error status with an OpenAI-shaped error body (or `body` when given). */
  | { kind: "status"; status: number; message?: string; code?: string; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  /** Any status with a raw body (e.g. broken JSON), to exercise the client's handling of bad responses. */
  | { kind: "raw"; status: number; body: string; headers?: Record<string, string>; delayMs?: number }
  /** Destroy the socket without answering (a network error on the client side). */
  | { kind: "drop"; delayMs?: number };

export type TFakeBehaviour = (req: TFakeRequest) => TFakeReply | Promise<TFakeReply>;

export type TFakeOpenAIOptions = {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  host?: string;
  /** When set, requests without `Authorization: Bearer <apiKey>` get 401 (as OpenAI does). */
  apiKey?: string;
  /** Behaviour for chat completions; default `discoBehaviour()`. */
  behaviour?: TFakeBehaviour;
  /** Model ids listed by GET /v1/models. */
  models?: string[];
};

export type TFakeOpenAI = {
  /** Base URL to give an OpenAI client, ending in /v1. */
  baseUrl: string;
  port: number;
  /** Every chat completion request received, in arrival order (models requests are not included). */
  requests: TFakeRequest[];
  /** Requests to GET /v1/models. */
  modelRequests: number;
  /** Chat requests being answered right now, and the most there ever were at once. */
  inFlight: number;
  maxInFlight: number;
  setBehaviour(behaviour: TFakeBehaviour): void;
  /** Forget recorded requests and the in-flight maximum. */
  reset(): void;
  close(): Promise<void>;
};

// ---------------------------------------------------------------------------------------------------------------------
// Answers

/** Rough token count (4 characters a token): deterministic, so tests can compute expected costs by hand. */
export function fakeTokenCount(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function shortHash(text: string): string {
  return crypto.createHash("sha256").update(text).digest("hex").slice(0, 10);
}

/** The CWE id named in a prompt (first one), e.g. "CWE-78", or null. */
export function cweInPrompt(prompt: string): string | null {
  const m = /CWE[-_ ]?0*(\d+)/i.exec(prompt);
  return m ? `CWE-${m[1]}` : null;
}

/**
 * The Python code of a DiSCo pair made from a prompt. Deterministic: the same prompt gives the same code. The code
 * carries a tag derived from the prompt (`TAG = "<hash>"`) and the prompt's CWE id in a string, so tests can tell which
 * prompt produced which pair. The insecure version hashes with MD5 (Bandit flags it: B303 or B324 by version); the secure one with SHA-256,
 * or with SHA-1 when `stillFlagged` (Bandit flags that too), which lets tests exercise refinement.
 */
export function fakeDiscoCode(tag: string, cwe: string | null, variant: "insecure" | "secure" | "secure-flagged"): string {
  const algo = variant === "insecure" ? "md5" : variant === "secure" ? "sha256" : "sha1";
  const lines = [
    "import hashlib",
    "import json",
    "",
    `TAG = "${tag}"`,
    `ISSUE = "${cwe ?? "unknown"}"`,
    "",
    "",
    "def fingerprint(payload):",
    "    data = json.dumps(payload, sort_keys=True).encode(\"utf-8\")",
    `    digest = hashlib.${algo}(data).hexdigest()`,
    "    return digest",
    "",
    "",
    "def store(records, payload):",
    "    key = fingerprint(payload)",
    "    if key in records:",
    "        return False",
    "    records[key] = payload",
    "    return True",
    "",
    "",
    "def main():",
    "    records = {}",
    "    for item in [{\"a\": 1}, {\"b\": 2}, {\"a\": 1}]:",
    "        print(TAG, ISSUE, store(records, item))",
    "",
    "",
    "if __name__ == \"__main__\":",
    "    main()",
  ];
  return lines.join("\n");
}

/** The tag fakeDiscoCode uses for a prompt. */
export function fakeTagFor(prompt: string): string {
  return shortHash(prompt);
}

/** A well-formed generation answer (VUL/REASON/SEC/REASON/INST) for a prompt, with the code in ```python fences. */
export function fakeGenerationAnswer(prompt: string, options: { secureStillFlagged?: boolean } = {}): string {
  const tag = fakeTagFor(prompt);
  const cwe = cweInPrompt(prompt);
  const insecure = fakeDiscoCode(tag, cwe, "insecure");
  const secure = fakeDiscoCode(tag, cwe, options.secureStillFlagged ? "secure-flagged" : "secure");
  return [
    "VUL:",
    "```python",
    insecure,
    "```",
    "REASON: The fingerprint uses MD5, a broken hash, so different payloads can be made to collide.",
    "SEC:",
    "```python",
    secure,
    "```",
    "REASON: The fingerprint now uses a collision-resistant hash.",
    "INST: Write a Python program that stores JSON payloads in a dictionary keyed by a digest of their content and skips duplicates.",
  ].join("\n");
}

/** A well-formed refinement answer (FIX/REASON). The tag is taken from the code quoted in the prompt when present. */
export function fakeRefinementAnswer(prompt: string): string {
  const tagMatch = /TAG = "([0-9a-f]+)"/.exec(prompt);
  const issueMatch = /ISSUE = "([^"]*)"/.exec(prompt);
  const tag = tagMatch ? tagMatch[1] : fakeTagFor(prompt);
  const cwe = issueMatch ? issueMatch[1] : cweInPrompt(prompt);
  return ["FIX:", "```python", fakeDiscoCode(tag, cwe, "secure"), "```", "REASON: The digest is computed with SHA-256, which the analyzers accept."].join("\n");
}

/** True when the prompt asks for the refinement format (FIX:) rather than the generation format (VUL:). */
export function isRefinementPrompt(prompt: string): boolean {
  return /\bFIX:/.test(prompt) && !/\bVUL:/.test(prompt);
}

export type TDiscoBehaviourOptions = {
  /** Decides, per generation request, whether the secure code is still flagged by Bandit (SHA-1 instead of SHA-256). */
  secureStillFlagged?: (req: TFakeRequest) => boolean;
  /** Delay before every answer. */
  delayMs?: number;
};

/** The default behaviour: a well-formed DiSCo answer for generation prompts, a FIX answer for refinement prompts. */
export function discoBehaviour(options: TDiscoBehaviourOptions = {}): TFakeBehaviour {
  return (req) => {
    const content = isRefinementPrompt(req.prompt)
      ? fakeRefinementAnswer(req.prompt)
      : fakeGenerationAnswer(req.prompt, { secureStillFlagged: options.secureStillFlagged?.(req) ?? false });
    return { kind: "answer", content, delayMs: options.delayMs };
  };
}

/** Answers that cannot be parsed as a DiSCo record (no sections / missing SEC / prose only). */
export const MALFORMED_ANSWERS = [
  "I'm sorry, but I can't help with creating vulnerable code.",
  "VUL:\n```python\nprint('hi')\n```\nREASON: It prints.\nINST: Print a greeting.",
  "Here is some code:\n```python\nimport os\nos.system(input())\n```",
] as const;

export function malformedReply(which = 0): TFakeReply {
  return { kind: "answer", content: MALFORMED_ANSWERS[which % MALFORMED_ANSWERS.length] };
}

export function rateLimitReply(retryAfterSeconds: number | string, extraHeaders: Record<string, string> = {}): TFakeReply {
  return {
    kind: "status",
    status: 429,
    message: "Rate limit reached for requests",
    code: "rate_limit_exceeded",
    headers: { "retry-after": String(retryAfterSeconds), ...extraHeaders },
  };
}

export function serverErrorReply(status = 500): TFakeReply {
  return { kind: "status", status, message: "The server had an error while processing your request.", code: "server_error" };
}

/** Replies in order for the first requests, then falls back to `then` (default: discoBehaviour()). */
export function sequenceBehaviour(replies: Array<TFakeReply | TFakeBehaviour>, then: TFakeBehaviour = discoBehaviour()): TFakeBehaviour {
  let i = 0;
  return (req) => {
    const next = replies[i++];
    if (next === undefined) return then(req);
    return typeof next === "function" ? next(req) : next;
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Server

function promptOf(body: unknown): { prompt: string; model: string | null } {
  if (!body || typeof body !== "object") return { prompt: "", model: null };
  const b = body as { messages?: unknown; model?: unknown };
  const messages = Array.isArray(b.messages) ? b.messages : [];
  const prompt = messages
    .map((m) => {
      const content = (m as { content?: unknown })?.content;
      if (typeof content === "string") return content;
      if (Array.isArray(content)) return content.map((p) => (typeof p?.text === "string" ? p.text : "")).join("");
      return "";
    })
    .join("\n");
  return { prompt, model: typeof b.model === "string" ? b.model : null };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startFakeOpenAI(options: TFakeOpenAIOptions = {}): Promise<TFakeOpenAI> {
  let behaviour: TFakeBehaviour = options.behaviour ?? discoBehaviour();
  const models = options.models ?? ["gpt-4o-2024-08-06", "gpt-4o-mini"];
  let counter = 0;

  const state: TFakeOpenAI = {
    baseUrl: "",
    port: 0,
    requests: [],
    modelRequests: 0,
    inFlight: 0,
    maxInFlight: 0,
    setBehaviour(b) {
      behaviour = b;
    },
    reset() {
      state.requests.length = 0;
      state.modelRequests = 0;
      state.maxInFlight = state.inFlight;
    },
    close: async () => {},
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname.replace(/\/+$/, "");
    try {
      const rawBody = await readBody(req);
      if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        sendJson(res, 401, { error: { message: "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key", param: null } });
        return;
      }
      if (req.method === "GET" && path === "/v1/models") {
        state.modelRequests++;
        sendJson(res, 200, { object: "list", data: models.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "fake" })) });
        return;
      }
      if (req.method !== "POST" || path !== "/v1/chat/completions") {
        sendJson(res, 404, { error: { message: `Unknown route ${req.method} ${path}`, type: "invalid_request_error", code: null, param: null } });
        return;
      }
      let body: unknown = null;
      try {
        body = JSON.parse(rawBody);
      } catch {
        sendJson(res, 400, { error: { message: "We could not parse the JSON body of your request.", type: "invalid_request_error", code: null, param: null } });
        return;
      }
      const { prompt, model } = promptOf(body);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      const record: TFakeRequest = { index: counter++, method: req.method, path, headers, body, prompt, model, receivedAt: Date.now() };
      state.requests.push(record);
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      // A request stops being in flight when answered or when the client goes away (timeout, abort), whichever is first.
      let counted = true;
      const done = () => {
        if (counted) state.inFlight--;
        counted = false;
      };
      res.once("close", done);
      try {
        const reply = await behaviour(record);
        if (reply.delayMs) await sleep(reply.delayMs);
        if (res.destroyed) return;
        switch (reply.kind) {
          case "answer": {
            const promptTokens = reply.promptTokens ?? fakeTokenCount(prompt);
            const completionTokens = reply.completionTokens ?? fakeTokenCount(reply.content);
            sendJson(res, 200, {
              id: `chatcmpl-fake-${record.index}`,
              object: "chat.completion",
              created: Math.floor(Date.now() / 1000),
              model: model ?? "unknown",
              system_fingerprint: "fp_fake",
              choices: [{ index: 0, message: { role: "assistant", content: reply.content, refusal: null }, logprobs: null, finish_reason: reply.finishReason ?? "stop" }],
              usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
            });
            return;
          }
          case "status":
            sendJson(
              res,
              reply.status,
              reply.body ?? { error: { message: reply.message ?? `HTTP ${reply.status}`, type: reply.status >= 500 ? "server_error" : "invalid_request_error", code: reply.code ?? null, param: null } },
              reply.headers,
            );
            return;
          case "raw":
            res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
            res.end(reply.body);
            return;
          case "drop":
            res.socket?.destroy();
            return;
        }
      } finally {
        done();
      }
    } catch (err) {
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { error: { message: `fake server failure: ${(err as Error).message}`, type: "server_error", code: null, param: null } });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  state.port = address.port;
  state.baseUrl = `http://${options.host ?? "127.0.0.1"}:${address.port}/v1`;
  state.close = () =>
    new Promise<void>((resolve) => {
      // Slow answers would otherwise hold close() open until they finish.
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
