// A researcher points a provider at an OpenAI-compatible endpoint (the fake server, started by this spec: the paid API
// cannot run here), launches a small distillation from the form after previewing its coverage and cost, watches the
// job page fill with pairs and the flagged share per refinement round, and opens a distilled pair in the review page.
import { expect, test } from "@playwright/test";
import { discoBehaviour, startFakeOpenAI, type TFakeOpenAI } from "../lib/testing/fake-openai-server";

let server: TFakeOpenAI;

test.beforeAll(async () => {
  let generations = 0;
  // Every second secure code keeps a weak hash that Bandit flags, so the job has something to refine.
  server = await startFakeOpenAI({ behaviour: discoBehaviour({ delayMs: 200, secureStillFlagged: () => generations++ % 2 === 0 }) });
});

test.afterAll(async () => {
  await server?.close();
});

test("a researcher launches a distillation from the form and sees pairs arrive", async ({ page, baseURL }, testInfo) => {
  test.setTimeout(240_000);
  await page.goto("/login");
  await page.getByLabel("Email").fill("researcher@disco.local");
  await page.getByLabel("Password").fill("disco-researcher-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toHaveText("researcher@disco.local");

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
