// The live feed of a run for its page: metric points, log lines and status changes as server-sent events that
// resume after a reconnect with no gap and no duplicate. Each event's id is a cursor saying exactly what has been
// sent: the last log id, the last status, and for every metric the highest step sent. Metric names are reported at
// increasing steps (the trainer logs step after step), so "step > last sent step of this name" is exact even when
// one metric (eval/loss) arrives later than another for the same step.
import type { Db } from "../db/client";

export type TEventCursor = { logId: bigint; status: string | null; steps: Map<string, number> };

export type TRunEvent =
  | { type: "metrics"; points: { name: string; step: number; value: number }[] }
  | { type: "log"; lines: { id: string; level: string; message: string; createdAt: string }[] }
  | { type: "status"; status: string; error: string | null; backend: string | null; finishedAt: string | null };

export function emptyCursor(): TEventCursor {
  return { logId: 0n, status: null, steps: new Map() };
}

/** Cursor as an event id: `l=<logId>;s=<STATUS>;m=<name>:<step>,...` (metric names never contain , : ; or =). */
export function encodeCursor(cursor: TEventCursor): string {
  const metrics = [...cursor.steps.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, step]) => `${name}:${step}`);
  return `l=${cursor.logId};s=${cursor.status ?? ""};m=${metrics.join(",")}`;
}

/** A malformed or absent id starts from the beginning: a client then gets everything once, never a hole. */
export function decodeCursor(value: string | null | undefined): TEventCursor {
  const cursor = emptyCursor();
  if (!value) return cursor;
  for (const part of value.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq);
    const body = part.slice(eq + 1);
    if (key === "l" && /^\d+$/.test(body)) cursor.logId = BigInt(body);
    else if (key === "s") cursor.status = body || null;
    else if (key === "m" && body) {
      for (const item of body.split(",")) {
        const colon = item.lastIndexOf(":");
        const step = Number(item.slice(colon + 1));
        if (colon > 0 && Number.isInteger(step) && step >= 0) cursor.steps.set(item.slice(0, colon), step);
      }
    }
  }
  return cursor;
}

function copyCursor(cursor: TEventCursor): TEventCursor {
  return { logId: cursor.logId, status: cursor.status, steps: new Map(cursor.steps) };
}

/**
 * Everything newer than the cursor, each event with the cursor just after it (its SSE id), so a connection that
 * drops between two events resumes at exactly the first one the client did not get.
 */
export async function readRunEvents(
  db: Db,
  runId: string,
  cursor: TEventCursor,
  options: { maxPoints?: number } = {},
): Promise<{ events: { event: TRunEvent; cursor: TEventCursor }[]; cursor: TEventCursor; finished: boolean }> {
  const next = copyCursor(cursor);
  const events: { event: TRunEvent; cursor: TEventCursor }[] = [];
  // Status first: a status read before the metrics guarantees that once "succeeded" is sent, its last points were written.
  const run = await db.run.findUnique({ where: { id: runId }, select: { status: true, error: true, backend: true, finishedAt: true } });
  if (!run) return { events, cursor: next, finished: true };

  const known = [...cursor.steps.keys()];
  const points = await db.metricPoint.findMany({
    where: {
      runId,
      OR: [{ name: { notIn: known } }, ...known.map((name) => ({ name, step: { gt: cursor.steps.get(name)! } }))],
    },
    orderBy: [{ step: "asc" }, { name: "asc" }],
    select: { name: true, step: true, value: true },
    take: options.maxPoints ?? 5000,
  });
  if (points.length) {
    for (const point of points) next.steps.set(point.name, Math.max(next.steps.get(point.name) ?? -1, point.step));
    events.push({ event: { type: "metrics", points }, cursor: copyCursor(next) });
  }
  const logs = await db.runLog.findMany({ where: { runId, id: { gt: cursor.logId } }, orderBy: { id: "asc" }, take: 500 });
  if (logs.length) {
    next.logId = logs[logs.length - 1]!.id;
    events.push({ event: { type: "log", lines: logs.map((row) => ({ id: row.id.toString(), level: row.level, message: row.message, createdAt: row.createdAt.toISOString() })) }, cursor: copyCursor(next) });
  }
  if (run.status !== cursor.status) {
    next.status = run.status;
    events.push({ event: { type: "status", status: run.status, error: run.error, backend: run.backend, finishedAt: run.finishedAt?.toISOString() ?? null }, cursor: copyCursor(next) });
  }
  const terminal = run.status === "SUCCEEDED" || run.status === "FAILED" || run.status === "CANCELLED";
  // Done only when a terminal status has been sent and nothing else was pending (the truncated case polls again).
  const finished = terminal && points.length < (options.maxPoints ?? 5000) && logs.length < 500;
  return { events, cursor: next, finished };
}

/** One SSE frame. Data is one JSON line. */
export function sseFrame(event: TRunEvent, id: string | null): string {
  return `${id ? `id: ${id}\n` : ""}event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * The stream behind GET /api/runs/:id/events: polls every `intervalMs` until the run has finished and everything
 * was sent (then tells the client `end` so it does not reconnect), or the client goes away.
 */
export function runEventStream(db: Db, runId: string, start: TEventCursor, options: { intervalMs?: number; signal?: AbortSignal } = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor = start;
  let stopped = false;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const close = () => {
        if (stopped) return;
        stopped = true;
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      options.signal?.addEventListener("abort", close);
      // Reconnect delay the browser's EventSource uses after a dropped connection.
      controller.enqueue(encoder.encode("retry: 2000\n\n"));
      let idle = 0;
      while (!stopped) {
        try {
          const { events, cursor: next, finished } = await readRunEvents(db, runId, cursor);
          for (const { event, cursor: after } of events) controller.enqueue(encoder.encode(sseFrame(event, encodeCursor(after))));
          cursor = next;
          if (finished) {
            controller.enqueue(encoder.encode(`event: end\ndata: {}\n\n`));
            close();
            break;
          }
          idle = events.length ? 0 : idle + 1;
          // A comment line now and then keeps proxies from closing a quiet stream.
          if (idle > 0 && idle % 15 === 0) controller.enqueue(encoder.encode(": keep-alive\n\n"));
        } catch (error) {
          if (stopped) break;
          controller.enqueue(encoder.encode(`event: problem\ndata: ${JSON.stringify({ message: (error as Error).message })}\n\n`));
        }
        await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1000));
      }
    },
    cancel() {
      stopped = true;
    },
  });
}
