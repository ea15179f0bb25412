// Starts the fake OpenAI-compatible server (lib/testing/fake-openai-server.ts) as its own process, for e2e tests and
// manual runs of the app without a paid API:
//   npx tsx scripts/fake-openai.ts --port 3199 [--api-key sk-test] [--delay-ms 50] [--flag-secure-every 3]
//                                  [--server-error-every 10] [--rate-limit-every 7] [--malformed-every 5]
// Prints one line `FAKE_OPENAI_BASE_URL=http://127.0.0.1:<port>/v1` once listening, and runs until SIGINT/SIGTERM.
// "--x-every N" applies to the Nth, 2Nth, ... chat request (1-based), so runs are reproducible.
import { parseArgs } from "node:util";
import {
  discoBehaviour,
  malformedReply,
  rateLimitReply,
  serverErrorReply,
  startFakeOpenAI,
  type TFakeBehaviour,
} from "../lib/testing/fake-openai-server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.FAKE_OPENAI_PORT ?? "3199" },
    host: { type: "string", default: "127.0.0.1" },
    "api-key": { type: "string" },
    "delay-ms": { type: "string", default: "0" },
    "flag-secure-every": { type: "string", default: "0" },
    "server-error-every": { type: "string", default: "0" },
    "rate-limit-every": { type: "string", default: "0" },
    "malformed-every": { type: "string", default: "0" },
  },
});

function int(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

const port = int("port", values.port);
const delayMs = int("delay-ms", values["delay-ms"]);
const flagEvery = int("flag-secure-every", values["flag-secure-every"]);
const errorEvery = int("server-error-every", values["server-error-every"]);
const rateEvery = int("rate-limit-every", values["rate-limit-every"]);
const malformedEvery = int("malformed-every", values["malformed-every"]);
const every = (n: number, index: number) => n > 0 && (index + 1) % n === 0;

const base = discoBehaviour({ delayMs, secureStillFlagged: (req) => every(flagEvery, req.index) });
const behaviour: TFakeBehaviour = (req) => {
  if (every(errorEvery, req.index)) return serverErrorReply(500);
  if (every(rateEvery, req.index)) return rateLimitReply(1);
  if (every(malformedEvery, req.index)) return malformedReply(req.index);
  return base(req);
};

const server = await startFakeOpenAI({ port, host: values.host, apiKey: values["api-key"], behaviour });
console.log(`FAKE_OPENAI_BASE_URL=${server.baseUrl}`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
