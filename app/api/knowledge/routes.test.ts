// The knowledge-base, package and template routes against the real test database: who may do what, clear errors,
// upload import, template versions and the preview.
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { browserRequest, createFixtures, routeParams, TEST_ORIGIN } from "@/lib/testing/fixtures";
import { GET as getPackages, POST as postPackage } from "../packages/route";
import { DELETE as deletePackageRoute } from "../packages/[id]/route";
import { GET as getTemplates, POST as postTemplate } from "../templates/route";
import { GET as getTemplateById } from "../templates/[id]/route";
import { POST as previewTemplate } from "../templates/preview/route";
import { DELETE as deleteEntry, GET as getEntry, PATCH as patchEntry } from "./[id]/route";
import { POST as importKb } from "./import/route";
import { GET as listEntries, POST as createEntry } from "./route";

const db = getDb();
const fixtures = createFixtures();
const tag = fixtures.tag;

afterAll(async () => {
  await db.knowledgeEntry.deleteMany({ where: { title: { contains: tag } } });
  await db.package.deleteMany({ where: { name: { contains: tag } } });
  await db.promptTemplate.deleteMany({ where: { name: { contains: tag } } });
  await fixtures.cleanup();
});

function upload(path: string, cookie: string, file: { name: string; content: string }, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set("file", new File([file.content], file.name, { type: "text/csv" }));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return new Request(`${TEST_ORIGIN}${path}`, { method: "POST", headers: { cookie, origin: TEST_ORIGIN, host: new URL(TEST_ORIGIN).host }, body: form });
}

describe("knowledge routes", () => {
  it("annotators read, researchers edit; bad input and in-use deletes get clear errors", async () => {
    const annotator = await fixtures.user("ANNOTATOR");
    const researcher = await fixtures.user("RESEARCHER");
    const body = { cweId: "CWE-0079", title: `Reflected XSS ${tag}`, description: "Echoes input into HTML.", examples: null, source: "CUSTOM" };

    const refused = await createEntry(browserRequest("/api/knowledge", { method: "POST", cookie: annotator.cookie, body }));
    expect(refused.status).toBe(403);
    expect(await db.knowledgeEntry.count({ where: { title: body.title } })).toBe(0);

    const created = await createEntry(browserRequest("/api/knowledge", { method: "POST", cookie: researcher.cookie, body }));
    expect(created.status).toBe(200);
    const { entry } = await created.json();
    expect(entry).toMatchObject({ cweId: "CWE-79", title: body.title });

    const duplicate = await createEntry(browserRequest("/api/knowledge", { method: "POST", cookie: researcher.cookie, body }));
    expect(duplicate.status).toBe(409);
    const badCwe = await createEntry(browserRequest("/api/knowledge", { method: "POST", cookie: researcher.cookie, body: { ...body, cweId: "XSS" } }));
    expect(badCwe.status).toBe(400);
    expect((await badCwe.json()).error).toMatch(/cweId: not a CWE id: "XSS"/);

    const listed = await listEntries(browserRequest(`/api/knowledge?q=${encodeURIComponent(tag)}`, { cookie: annotator.cookie }));
    expect(listed.status).toBe(200);
    expect((await listed.json()).entries.map((e: { id: string }) => e.id)).toEqual([entry.id]);
    const one = await getEntry(browserRequest(`/api/knowledge/${entry.id}`, { cookie: annotator.cookie }), routeParams({ id: entry.id }));
    expect((await one.json()).entry).toMatchObject({ pairCount: 0, promptCount: 0 });

    const annotatorPatch = await patchEntry(browserRequest(`/api/knowledge/${entry.id}`, { method: "PATCH", cookie: annotator.cookie, body }), routeParams({ id: entry.id }));
    expect(annotatorPatch.status).toBe(403);
    const patched = await patchEntry(
      browserRequest(`/api/knowledge/${entry.id}`, { method: "PATCH", cookie: researcher.cookie, body: { ...body, description: "Edited." } }),
      routeParams({ id: entry.id }),
    );
    expect((await patched.json()).entry.description).toBe("Edited.");

    // In use by a pair: 409 with the reason, and the entry stays.
    const dataset = await db.dataset.create({ data: { name: `kb-api-${tag}` } });
    await db.pair.create({ data: { datasetId: dataset.id, instruction: "i", insecureCode: "a", secureCode: "b", source: "test", contentHash: tag, entryId: entry.id } });
    const inUse = await deleteEntry(browserRequest(`/api/knowledge/${entry.id}`, { method: "DELETE", cookie: researcher.cookie }), routeParams({ id: entry.id }));
    expect(inUse.status).toBe(409);
    expect((await inUse.json()).error).toMatch(/used by 1 pair/);
    await db.dataset.delete({ where: { id: dataset.id } });
    const deleted = await deleteEntry(browserRequest(`/api/knowledge/${entry.id}`, { method: "DELETE", cookie: researcher.cookie }), routeParams({ id: entry.id }));
    expect(deleted.status).toBe(200);
    const gone = await getEntry(browserRequest(`/api/knowledge/${entry.id}`, { cookie: researcher.cookie }), routeParams({ id: entry.id }));
    expect(gone.status).toBe(404);
  });

  it("imports an uploaded CSV with a per-line report; annotators may not", async () => {
    const annotator = await fixtures.user("ANNOTATOR");
    const researcher = await fixtures.user("RESEARCHER");
    const file = { name: "bandit_rules.csv", content: `,Title,CWE,Description,Examples\n0,Pickle load ${tag},CWE-502,Untrusted pickle.,NULL\n1,Broken ${tag},,x,NULL\n` };
    expect((await importKb(upload("/api/knowledge/import", annotator.cookie, file))).status).toBe(403);
    const response = await importKb(upload("/api/knowledge/import", researcher.cookie, file));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ format: "disco", source: "BANDIT", total: 2, created: 1, invalidCount: 1, invalid: [{ line: 3, reason: "CWE is empty" }] });
    const unknown = await importKb(upload("/api/knowledge/import", researcher.cookie, { name: "x.csv", content: "a,b\n1,2\n" }));
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toMatch(/unrecognized header/);
  });

  it("packages: annotators read, researchers add and delete", async () => {
    const annotator = await fixtures.user("ANNOTATOR");
    const researcher = await fixtures.user("RESEARCHER");
    expect((await postPackage(browserRequest("/api/packages", { method: "POST", cookie: annotator.cookie, body: { name: `p-${tag}` } }))).status).toBe(403);
    const created = await postPackage(browserRequest("/api/packages", { method: "POST", cookie: researcher.cookie, body: { name: `p-${tag}`, description: "d" } }));
    const pkg = (await created.json()).package;
    const list = await (await getPackages(browserRequest("/api/packages", { cookie: annotator.cookie }))).json();
    expect(list.packages.some((p: { id: string }) => p.id === pkg.id)).toBe(true);
    const removed = await deletePackageRoute(browserRequest(`/api/packages/${pkg.id}`, { method: "DELETE", cookie: researcher.cookie }), routeParams({ id: pkg.id }));
    expect(removed.status).toBe(200);
  });
});

describe("template routes", () => {
  it("lists defaults, saves versions, previews with and without a package; annotators are refused", async () => {
    const annotator = await fixtures.user("ANNOTATOR");
    const researcher = await fixtures.user("RESEARCHER");
    expect((await getTemplates(browserRequest("/api/templates", { cookie: annotator.cookie }))).status).toBe(403);

    const listed = await (await getTemplates(browserRequest("/api/templates", { cookie: researcher.cookie }))).json();
    const names = listed.templates.map((t: { name: string }) => t.name);
    expect(names).toEqual(expect.arrayContaining(["disco-generation", "disco-refinement", "disco-reasoning"]));

    const name = `gen-${tag}`;
    const v1 = await (await postTemplate(browserRequest("/api/templates", { method: "POST", cookie: researcher.cookie, body: { name, kind: "GENERATION", body: "Issue [ISSUE] in [PACKAGE] code." } }))).json();
    const v2 = await (await postTemplate(browserRequest("/api/templates", { method: "POST", cookie: researcher.cookie, body: { name, kind: "GENERATION", body: "Issue [ISSUE] ([CWE]) in [PACKAGE] code." } }))).json();
    expect([v1.template.version, v2.template.version]).toEqual([1, 2]);
    const unknownSlot = await postTemplate(browserRequest("/api/templates", { method: "POST", cookie: researcher.cookie, body: { name, kind: "GENERATION", body: "[ISSUE] [SEVERITY]" } }));
    expect(unknownSlot.status).toBe(400);
    expect((await unknownSlot.json()).error).toMatch(/unknown slots \[SEVERITY\]/);

    const byId = await (await getTemplateById(browserRequest(`/api/templates/${v1.template.id}`, { cookie: researcher.cookie }), routeParams({ id: v1.template.id }))).json();
    expect(byId.template.body).toBe("Issue [ISSUE] in [PACKAGE] code.");
    expect(byId.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const entry = await db.knowledgeEntry.create({ data: { cweId: "CWE-78", title: `Shell ${tag}`, description: "Shell from input.", source: "CUSTOM" } });
    const pkg = await db.package.create({ data: { name: `subprocess-${tag}` } });
    const preview = async (packageId: string | null, body = v2.template.body) =>
      previewTemplate(browserRequest("/api/templates/preview", { method: "POST", cookie: researcher.cookie, body: { kind: "GENERATION", body, entryId: entry.id, packageId } }));
    expect(await (await preview(pkg.id)).json()).toEqual({ text: `Issue Shell ${tag} (CWE-78) in subprocess-${tag} code.`, simple: false });
    expect(await (await preview(null)).json()).toEqual({ text: `Issue Shell ${tag} (CWE-78) in code.`, simple: true });
    const bad = await preview(null, "[ISSUE] [r-]");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/\[r-\] cannot be filled in a generation template/);
  });
});
