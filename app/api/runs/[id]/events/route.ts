// GET /api/runs/:id/events - server-sent events of a run (metric points, log lines, status) until it finishes.
// A reconnect sends Last-Event-ID (EventSource does it by itself) and continues with no gap and no duplicate.
import { route } from "@/lib/api/route";
import { asHttp, runIdParam } from "@/lib/training/http";
import { getRun } from "@/lib/training/queries";
import { decodeCursor, runEventStream } from "@/lib/training/run-events";

export const dynamic = "force-dynamic";

export const GET = route({ access: "runs:read" }, async ({ db, params, request }) => {
  const runId = runIdParam(params);
  await asHttp(() => getRun(db, runId));
  const lastEventId = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("lastEventId");
  const stream = runEventStream(db, runId, decodeCursor(lastEventId), { signal: request.signal });
  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", Connection: "keep-alive", "X-Accel-Buffering": "no" },
  });
});
