// A researcher points a provider at an OpenAI-compatible endpoint (the fake server, started by this spec: the paid API
// cannot run here), launches a small distillation from the form after previewing its coverage and cost, watches the
// job page fill with pairs and the flagged share per refinement round, and opens a distilled pair in the review page.
import { expect, test } from "@playwright/test";
import { discoBehaviour, startFakeOpenAI, type TFakeOpenAI } from "../lib/testing/fake-openai-server";

let server: TFakeOpenAI;
let generations = 0;

test.beforeAll(async () => {
  // Every second secure code keeps a weak hash that Bandit flags, so the job has something to refine.
  server = await startFakeOpenAI({ behaviour: discoBehaviour({ delayMs: 200, secureStillFlagged: () => generations++ % 2 === 0 }) });
});

async function signIn(page: import("@playwright/test").Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill("researcher@disco.local");
  await page.getByLabel("Password").fill("disco-researcher-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toHaveText("researcher@disco.local");
}

test.afterAll(async () => {
  await server?.close();
});

test("a researcher launches a distillation from the form and sees pairs arrive", async ({ page, baseURL }, testInfo) => {
  test.setTimeout(240_000);
  await signIn(page);

  const providerName = `fake-e2e-${Date.now()}`;
  const created = await page.request.post("/api/providers", { data: { name: providerName, baseUrl: server.baseUrl }, headers: { origin: baseURL! } });
  expect(created.status()).toBe(200);

  await page.goto("/distill");
  await page.getByRole("link", { name: "New distillation" }).click();
  await expect(page.getByRole("heading", { name: "New distillation" })).toBeVisible();
  await page.getByLabel("Provider").selectOption({ label: `${providerName} (${server.baseUrl})` });
  await page.getByLabel("Prompts (n)").fill("4");
  await page.getByLabel("Input price (USD / 1M tokens)").fill("2.5");
  await page.getByLabel("Output price (USD / 1M tokens)").fill("10");
  await page.getByLabel("Budget (USD)").fill("1");
  const dataset = `distilled-e2e-${Date.now()}`;
  await page.getByLabel("New dataset name").fill(dataset);
  await page.getByRole("button", { name: "Preview coverage and cost" }).click();
  await expect(page.getByTestId("preview-planned")).toHaveText("4");
  await expect(page.getByTestId("preview-cost")).toContainText("$");
  await testInfo.attach("distill-preview", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

  await page.getByRole("button", { name: "Launch" }).click();
  await expect(page).toHaveURL(/\/distill\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("distill-planned")).toHaveText("4");
  // Live progress: the page polls until the worker has landed every pair.
  await expect(page.getByTestId("distill-status")).toHaveText("succeeded", { timeout: 200_000 });
  const pairs = Number(await page.getByTestId("distill-pairs").textContent());
  expect(pairs).toBeGreaterThan(0);
  await expect(page.getByTestId("distill-sent")).toHaveText("4");
  // Round 0 found the weak hash in some secure code; one refinement round cleared it.
  const rounds = page.getByTestId("distill-rounds");
  await expect(rounds.getByRole("row").nth(1)).toContainText("0 (generation)");
  await expect(rounds.getByRole("row").nth(2).getByRole("cell").nth(2)).toHaveText("0");
  expect(Number(await rounds.getByRole("row").nth(1).getByRole("cell").nth(2).textContent())).toBeGreaterThan(0);
  expect(server.requests.length).toBeGreaterThanOrEqual(5); // 4 generations + at least one refinement
  await testInfo.attach("distill-job", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

  // A distilled pair opens in the review page.
  const link = page.getByTestId("distill-latest").getByRole("link").first();
  const href = await link.getAttribute("href");
  expect(href).toMatch(/^\/pairs\/[0-9a-f-]{36}$/);
  await link.click();
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  await expect(page.locator(".mask-minus, .mask-plus").first()).toBeVisible({ timeout: 30_000 });
  await testInfo.attach("distilled-pair-review", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

  // The job is listed with its dataset.
  await page.goto("/distill");
  await expect(page.getByTestId("distill-jobs")).toContainText(dataset);
});

// The "done when": a 200-prompt distillation completes from the browser with live progress and reports the
// flagged share per refinement round.
test("a 200-prompt distillation completes from the browser with live progress", async ({ page, baseURL }, testInfo) => {
  test.setTimeout(600_000);
  await signIn(page);
  server.reset();
  generations = 0;
  server.setBehaviour(discoBehaviour({ secureStillFlagged: () => generations++ % 4 === 0 }));
  const providerName = `fake-e2e-200-${Date.now()}`;
  const created = await page.request.post("/api/providers", { data: { name: providerName, baseUrl: server.baseUrl }, headers: { origin: baseURL! } });
  expect(created.status()).toBe(200);

  await page.goto("/distill/new");
  await page.getByLabel("Provider").selectOption({ label: `${providerName} (${server.baseUrl})` });
  await page.getByLabel("Prompts (n)").fill("200");
  await page.getByLabel("Complex share (issue x package)").fill("1");
  await page.getByLabel("Concurrency").fill("16");
  await page.getByLabel("Input price (USD / 1M tokens)").fill("2.5");
  await page.getByLabel("Output price (USD / 1M tokens)").fill("10");
  await page.getByLabel("Budget (USD)").fill("20");
  await page.getByLabel("New dataset name").fill(`distilled-e2e-200-${Date.now()}`);
  await page.getByRole("button", { name: "Launch" }).click();
  await expect(page).toHaveURL(/\/distill\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("distill-planned")).toHaveText("200");

  // Live: the page shows pairs arriving while the job still runs.
  await expect(async () => {
    const pairs = Number(await page.getByTestId("distill-pairs").textContent());
    expect(pairs).toBeGreaterThan(0);
    expect(pairs).toBeLessThan(200);
    await expect(page.getByTestId("distill-status")).toHaveText("running", { timeout: 100 });
  }).toPass({ timeout: 300_000, intervals: [500] });
  await testInfo.attach("distill-200-running", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

  await expect(page.getByTestId("distill-status")).toHaveText("succeeded", { timeout: 540_000 });
  await expect(page.getByTestId("distill-sent")).toHaveText("200");
  await expect(page.getByTestId("distill-failed")).toHaveText("0");
  const pairs = Number(await page.getByTestId("distill-pairs").textContent());
  expect(pairs).toBeGreaterThan(190); // a repeated (issue, package) prompt would be skipped as a duplicate
  const rounds = page.getByTestId("distill-rounds");
  expect(Number(await rounds.getByRole("row").nth(1).getByRole("cell").nth(2).textContent())).toBeGreaterThan(0);
  await expect(rounds.getByRole("row").nth(2).getByRole("cell").nth(2)).toHaveText("0");
  await testInfo.attach("distill-200-done", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

  await page.getByTestId("distill-latest").getByRole("link").first().click();
  await expect(page).toHaveURL(/\/pairs\/[0-9a-f-]{36}$/);
  await expect(page.locator(".mask-minus, .mask-plus").first()).toBeVisible({ timeout: 30_000 });
});
