// A researcher adds an LLM provider pointing at the fake OpenAI-compatible server (started here, in the test process),
// tests the connection with the stored key, and never sees the key again; a wrong key shows the endpoint's 401.
import { expect, test } from "@playwright/test";
import { startFakeOpenAI, type TFakeOpenAI } from "../lib/testing/fake-openai-server";

const KEY = `sk-e2e-${Date.now()}-0123456789`;
let server: TFakeOpenAI;

test.beforeAll(async () => {
  server = await startFakeOpenAI({ apiKey: KEY });
});
test.afterAll(async () => {
  await server.close();
});

test("a researcher adds a provider, tests its connection, and the key is never shown", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("researcher@disco.local");
  await page.getByLabel("Password").fill("disco-researcher-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toHaveText("researcher@disco.local");

  await page.goto("/distill/providers");
  await expect(page.getByRole("heading", { name: "LLM providers" })).toBeVisible();
  const name = `fake-${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Base URL").fill(server.baseUrl);
  await page.getByLabel("API key (optional; stored encrypted)").fill(KEY);
  await page.getByRole("button", { name: "Add provider" }).click();

  const row = page.getByTestId(`provider-${name}`);
  await expect(row).toBeVisible();
  await expect(row).toContainText(`sk-…${KEY.slice(-4)}`);
  await row.getByRole("button", { name: "Test connection" }).click();
  await expect(row.getByTestId("provider-test-ok")).toContainText("models");
  expect(server.modelRequests).toBeGreaterThan(0);

  await page.reload();
  expect(await page.content()).not.toContain(KEY);

  await row.getByLabel(`New API key for ${name}`).fill("sk-wrong-key-0000000000");
  await row.getByRole("button", { name: "Replace key" }).click();
  await expect(row).toContainText("sk-…0000");
  await row.getByRole("button", { name: "Test connection" }).click();
  await expect(row.getByTestId("provider-test-error")).toContainText("401");
});
