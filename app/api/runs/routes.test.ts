// Route tests for training runs: who may launch and control runs, validation errors per field, the list and detail,
// cancel/resume semantics, and the event stream resuming from Last-Event-ID with no gap and no duplicate.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { browserRequest, createFixtures, routeParams } from "@/lib/testing/fixtures";
import { createTrainingFixture } from "@/lib/training/testing";
import { GET as listRoute, POST as launchRoute } from "./route";
import { GET as getRoute } from "./[id]/route";
import { POST as cancelRoute } from "./[id]/cancel/route";
import { POST as resumeRoute } from "./[id]/resume/route";
import { GET as metricsRoute } from "./[id]/metrics/route";
import { GET as eventsRoute } from "./[id]/events/route";

const fixtures = createFixtures();
let training: Awaited<ReturnType<typeof createTrainingFixture>>;
beforeAll(async () => {
  training = await createTrainingFixture({ pairs: 4 });
});
afterAll(async () => {
  await training?.cleanup();
  await fixtures.cleanup();
});

type Frame = { id: string | null; event: string; data: unknown };

/** Reads the SSE response until `until` says enough (or the server ends the stream), then disconnects. */
async function readFrames(response: Response, controller: AbortController, until: (frames: Frame[]) => boolean, timeoutMs = 15_000): Promise<Frame[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const frames: Frame[] = [];
  let text = "";
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = text.indexOf("\n\n")) >= 0) {
      const block = text.slice(0, cut);
      text = text.slice(cut + 2);
      const fields: Record<string, string> = {};
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(": ");
        if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 2);
      }
      if (fields.event) frames.push({ id: fields.id ?? null, event: fields.event, data: JSON.parse(fields.data ?? "null") });
    }
    if (until(frames)) break;
  }
  controller.abort();
  await reader.cancel().catch(() => {});
  return frames;
}

function eventsRequest(runId: string, cookie: string, lastEventId?: string) {
  const controller = new AbortController();
  const base = browserRequest(`/api/runs/${runId}/events`, { cookie });
  const headers = new Headers(base.headers);
  if (lastEventId) headers.set("last-event-id", lastEventId);
  return { controller, request: new Request(base.url, { headers, signal: controller.signal }) };
}

const points = (frames: Frame[]) => frames.filter((frame) => frame.event === "metrics").flatMap((frame) => (frame.data as { points: { name: string; step: number; value: number }[] }).points);

describe("run routes", () => {
  it("an annotator may read runs but not launch, cancel or resume them", async () => {
    const annotator = await fixtures.user("ANNOTATOR");
    const body = { presetId: "lpo", datasetVersionId: training.versionId, baseModelId: training.modelId };
    const launch = await launchRoute(browserRequest("/api/runs", { method: "POST", cookie: annotator.cookie, body }));
    expect(launch.status).toBe(403);
    expect((await launch.json()).error).toMatch(/may not runs:launch/);
    expect(await getDb().run.count({ where: { datasetVersionId: training.versionId } })).toBe(0);
    const run = await getDb().run.create({ data: { name: "r", method: "LPO", config: {}, status: "QUEUED", baseModelId: training.modelId, datasetVersionId: training.versionId } });
    expect((await cancelRoute(browserRequest(`/api/runs/${run.id}/cancel`, { method: "POST", cookie: annotator.cookie }), routeParams({ id: run.id }))).status).toBe(403);
    expect((await resumeRoute(browserRequest(`/api/runs/${run.id}/resume`, { method: "POST", cookie: annotator.cookie }), routeParams({ id: run.id }))).status).toBe(403);
    const list = await listRoute(browserRequest(`/api/runs?datasetVersionId=${training.versionId}`, { cookie: annotator.cookie }));
    expect(list.status).toBe(200);
    expect((await list.json()).runs.map((row: { id: string }) => row.id)).toEqual([run.id]);
    await getDb().run.delete({ where: { id: run.id } });
  });

  it("a researcher's bad launch gets a 400 with per-field details; a good one is queued, listed, read, cancelled and resumed", async () => {
    const researcher = await fixtures.user("RESEARCHER");
    const post = (body: unknown) => launchRoute(browserRequest("/api/runs", { method: "POST", cookie: researcher.cookie, body }));

    const bad = await post({ presetId: "lpo", datasetVersionId: training.versionId, baseModelId: training.modelId, overrides: { loss: { beta: "ten" }, lora: { rank: 4 } } });
    expect(bad.status).toBe(400);
    const badBody = (await bad.json()) as { error: string; details: { path: string; message: string }[] };
    expect(badBody.details.map((detail) => detail.path).sort()).toEqual(["lora.rank", "loss.beta"]);
    const badPreset = await post({ presetId: "nope", datasetVersionId: training.versionId, baseModelId: training.modelId });
    expect(badPreset.status).toBe(400);
    expect((await badPreset.json()).details[0].path).toBe("presetId");
    const notUuid = await post({ presetId: "lpo", datasetVersionId: "v1", baseModelId: training.modelId });
    expect(notUuid.status).toBe(400);
    expect((await notUuid.json()).error).toMatch(/datasetVersionId/);

    const good = await post({ presetId: "sft", datasetVersionId: training.versionId, baseModelId: training.modelId, name: "route test", tags: ["t"], overrides: { maxSteps: 2 } });
    expect(good.status).toBe(201);
    const { run } = (await good.json()) as { run: { id: string; status: string } };
    expect(run.status).toBe("QUEUED");

    const filtered = await listRoute(browserRequest(`/api/runs?status=QUEUED&method=SFT&tag=t&datasetVersionId=${training.versionId}`, { cookie: researcher.cookie }));
    expect((await filtered.json()).runs.map((row: { id: string }) => row.id)).toEqual([run.id]);
    const badFilter = await listRoute(browserRequest("/api/runs?status=DONE", { cookie: researcher.cookie }));
    expect(badFilter.status).toBe(400);

    const detail = await getRoute(browserRequest(`/api/runs/${run.id}`, { cookie: researcher.cookie }), routeParams({ id: run.id }));
    expect((await detail.json()).run).toMatchObject({ name: "route test", status: "QUEUED", orphaned: false, config: { maxSteps: 2, method: "sft" } });

    // Nobody trains it yet (no worker here), so cancel takes effect at once; a second cancel is a conflict.
    const cancel = await cancelRoute(browserRequest(`/api/runs/${run.id}/cancel`, { method: "POST", cookie: researcher.cookie }), routeParams({ id: run.id }));
    expect(await cancel.json()).toMatchObject({ status: "CANCELLED" });
    expect((await cancelRoute(browserRequest(`/api/runs/${run.id}/cancel`, { method: "POST", cookie: researcher.cookie }), routeParams({ id: run.id }))).status).toBe(409);

    const resume = await resumeRoute(browserRequest(`/api/runs/${run.id}/resume`, { method: "POST", cookie: researcher.cookie }), routeParams({ id: run.id }));
    expect(resume.status).toBe(200);
    expect(await resume.json()).toMatchObject({ status: "QUEUED", fromStep: null });
    expect(await getDb().run.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: "QUEUED", cancelRequested: false });

    await getDb().run.update({ where: { id: run.id }, data: { status: "SUCCEEDED" } });
    expect((await resumeRoute(browserRequest(`/api/runs/${run.id}/resume`, { method: "POST", cookie: researcher.cookie }), routeParams({ id: run.id }))).status).toBe(409);
    const missing = await getRoute(browserRequest("/api/runs/00000000-0000-4000-8000-000000000000", { cookie: researcher.cookie }), routeParams({ id: "00000000-0000-4000-8000-000000000000" }));
    expect(missing.status).toBe(404);
  });

  it("the event stream resumes after a reconnect from Last-Event-ID with every point exactly once", async () => {
    const annotator = await fixtures.user("ANNOTATOR");
    const db = getDb();
    const run = await db.run.create({ data: { name: "sse", method: "LPO", config: {}, status: "RUNNING", baseModelId: training.modelId, datasetVersionId: training.versionId } });
    const write = (rows: { name: string; step: number; value: number }[]) => db.metricPoint.createMany({ data: rows.map((row) => ({ runId: run.id, ...row })) });
    await write([1, 2, 3].flatMap((step) => [{ name: "loss", step, value: 1 / step }, { name: "grad_norm", step, value: step }]));
    await db.runLog.create({ data: { runId: run.id, message: "first line" } });

    const first = eventsRequest(run.id, annotator.cookie);
    const firstResponse = await eventsRoute(first.request, routeParams({ id: run.id }));
    expect(firstResponse.headers.get("content-type")).toMatch(/text\/event-stream/);
    const firstFrames = await readFrames(firstResponse, first.controller, (frames) => frames.some((frame) => frame.event === "status"));
    expect(points(firstFrames)).toHaveLength(6);
    expect(firstFrames.every((frame) => frame.id)).toBe(true);
    const lastId = firstFrames[firstFrames.length - 1]!.id!;

    // While disconnected: more steps, an eval point for an earlier step (eval/loss is new), a log line, the end.
    await write([4, 5].flatMap((step) => [{ name: "loss", step, value: 1 / step }, { name: "grad_norm", step, value: step }]));
    await write([{ name: "eval/loss", step: 2, value: 0.9 }]);
    await db.runLog.create({ data: { runId: run.id, message: "second line" } });
    await db.run.update({ where: { id: run.id }, data: { status: "SUCCEEDED", finishedAt: new Date() } });

    const second = eventsRequest(run.id, annotator.cookie, lastId);
    const secondFrames = await readFrames(await eventsRoute(second.request, routeParams({ id: run.id })), second.controller, (frames) => frames.some((frame) => frame.event === "end"));
    const all = [...points(firstFrames), ...points(secondFrames)].map((point) => `${point.name}@${point.step}`);
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(
      [...[1, 2, 3, 4, 5].flatMap((step) => [`loss@${step}`, `grad_norm@${step}`]), "eval/loss@2"].sort(),
    );
    const logs = [...firstFrames, ...secondFrames].filter((frame) => frame.event === "log").flatMap((frame) => (frame.data as { lines: { message: string }[] }).lines.map((line) => line.message));
    expect(logs).toEqual(["first line", "second line"]);
    expect(secondFrames.filter((frame) => frame.event === "status").map((frame) => (frame.data as { status: string }).status)).toEqual(["SUCCEEDED"]);
    expect(secondFrames.at(-1)!.event).toBe("end");

    // Reconnecting from a frame in the middle of the first connection re-sends only what came after that frame.
    const middle = firstFrames.find((frame) => frame.event === "metrics")!.id!;
    const third = eventsRequest(run.id, annotator.cookie, middle);
    const thirdFrames = await readFrames(await eventsRoute(third.request, routeParams({ id: run.id })), third.controller, (frames) => frames.some((frame) => frame.event === "end"));
    expect(points(thirdFrames).map((point) => `${point.name}@${point.step}`).sort()).toEqual(["eval/loss@2", "grad_norm@4", "grad_norm@5", "loss@4", "loss@5"]);

    const metrics = await metricsRoute(browserRequest(`/api/runs/${run.id}/metrics?since=3&names=loss`, { cookie: annotator.cookie }), routeParams({ id: run.id }));
    expect((await metrics.json()).metrics).toEqual({ loss: [{ step: 4, value: 0.25 }, { step: 5, value: 0.2 }] });
    await db.run.delete({ where: { id: run.id } });
  });
});
