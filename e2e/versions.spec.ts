// A researcher freezes a version of the demo dataset (all statuses) from the dataset page and sees it listed with
// its split counts and content hash.
import { expect, test } from "@playwright/test";
import { DEFAULT_SPLIT, splitCounts } from "../lib/datasets/versions/split";
import { DEMO_DATASET_NAME } from "../lib/seed/seed-demo";

test("a researcher freezes a version of the demo dataset and sees its split and hash", async ({ page }, testInfo) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("researcher@disco.local");
  await page.getByLabel("Password").fill("disco-researcher-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toHaveText("researcher@disco.local");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Datasets" }).click();
  await expect(page).toHaveURL(/\/datasets$/);
  const row = page.getByTestId("datasets-table").getByRole("row", { name: new RegExp(DEMO_DATASET_NAME) });
  const pairCount = Number(await row.getByRole("cell").nth(1).textContent());
  expect(pairCount).toBeGreaterThan(0);
  await row.getByRole("link", { name: DEMO_DATASET_NAME }).click();
  await expect(page.getByRole("heading", { name: DEMO_DATASET_NAME })).toBeVisible();
  await expect(page.getByTestId("agreement")).toContainText("reviews done");
  await expect(page.getByTestId("assign-form")).toContainText("Ann Annotator");

  const name = `e2e-${Date.now()}`;
  const form = page.getByTestId("freeze-form");
  await form.getByLabel("Version name").fill(name);
  await form.getByRole("button", { name: "Freeze version" }).click();
  await expect(page.getByTestId("freeze-result")).toContainText(`${pairCount} pairs`);
  const hashPrefix = /hash ([0-9a-f]{12})/.exec((await page.getByTestId("freeze-result").textContent()) ?? "")![1]!;

  const versionRow = page.getByTestId("versions-table").getByRole("row", { name: new RegExp(name) });
  await expect(versionRow).toBeVisible();
  const expected = splitCounts(pairCount, DEFAULT_SPLIT);
  await expect(versionRow.getByTestId("split-counts")).toHaveText(`${expected.TRAIN} / ${expected.VAL} / ${expected.TEST}`);
  await expect(versionRow.getByTestId("content-hash")).toHaveText(hashPrefix);
  await expect(versionRow.getByTestId("content-hash")).toHaveAttribute("title", new RegExp(`^${hashPrefix}[0-9a-f]{52}$`));
  await testInfo.attach("dataset-versions", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

  // Freezing the same selection again gives the same content hash: the hash names the content, not the act.
  await form.getByLabel("Version name").fill(`${name}-again`);
  await form.getByRole("button", { name: "Freeze version" }).click();
  await expect(page.getByTestId("freeze-result")).toContainText(`hash ${hashPrefix}`);
});

test("the coverage view and an annotator's queue render on the demo data", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("annotator2@disco.local");
  await page.getByLabel("Password").fill("disco-annotator2-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toHaveText("annotator2@disco.local");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Coverage" }).click();
  await expect(page.getByTestId("coverage-summary")).toContainText(/\d+ pairs over \d+ CWEs/);
  // recharts draws one bar per CWE into an SVG.
  await expect(page.getByTestId("pairs-per-cwe").locator(".recharts-bar-rectangle").first()).toBeVisible();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Queue" }).click();
  await expect(page.getByRole("heading", { name: "My review queue" })).toBeVisible();
  await expect(page.getByTestId("queue-table").getByRole("link").first()).toHaveAttribute("href", /^\/pairs\/[0-9a-f-]{36}$/);
});
