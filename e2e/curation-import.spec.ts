// A researcher imports the released DiSCo test CSV from the import page, follows the job, and sees the report;
// a second upload of the same file inserts nothing; an imported pair opens in the review page with its masks; the
// dataset freezes into a version. Skipped when the shared data folder is absent.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";

const DISCO_CSV = path.resolve(process.cwd(), "../shared/data/disco/DiSCo_test.csv");

test.describe("import", () => {
  test.skip(!fs.existsSync(DISCO_CSV), `${DISCO_CSV} is absent (shared data not mounted)`);

  test("a researcher imports the DiSCo test CSV and sees the report", async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    await page.goto("/login");
    await page.getByLabel("Email").fill("researcher@disco.local");
    await page.getByLabel("Password").fill("disco-researcher-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("current-user")).toHaveText("researcher@disco.local");

    const dataset = `disco-test-e2e-${Date.now()}`;
    await page.goto("/datasets/import");
    await page.getByLabel("File", { exact: true }).setInputFiles(DISCO_CSV);
    await page.getByLabel("Dataset", { exact: true }).fill(dataset);
    await page.getByRole("button", { name: "Import" }).click();
    await expect(page.getByTestId("import-report")).toBeVisible({ timeout: 90_000 });
    await expect(page.getByTestId("import-report")).toContainText("disco-csv");
    await expect(page.getByTestId("import-report")).toContainText("200 rows");
    await expect(page.getByTestId("import-inserted")).toHaveText("200");
    await testInfo.attach("import-report", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

    await page.getByRole("button", { name: "Import" }).click();
    await expect(page.getByTestId("import-report")).toContainText("200 already present", { timeout: 90_000 });
    await expect(page.getByTestId("import-inserted")).toHaveText("0");

    // The imported split is curated like any dataset: its pairs open in the review page with masks once the
    // analysis job the import queued has run...
    await page.goto(`/pairs?source=disco-csv`);
    const href = await page.getByTestId("pair-link").first().getAttribute("href");
    expect(href).toMatch(/^\/pairs\/[0-9a-f-]{36}/);
    await page.goto(href!);
    await expect(async () => {
      await page.reload();
      // Some real fixes only delete code (m+ empty), so either side's highlight proves the masks arrived.
      await expect(page.locator(".mask-minus, .mask-plus").first()).toBeVisible({ timeout: 3_000 });
    }).toPass({ timeout: 90_000 });
    await testInfo.attach("imported-pair-review", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

    // ...and it freezes into a version with the paper's split: 200 pairs -> 190 / 6 / 4.
    await page.goto("/datasets");
    await page.getByTestId("datasets-table").getByRole("link", { name: dataset }).click();
    const form = page.getByTestId("freeze-form");
    await form.getByLabel("Version name").fill("v1");
    await form.getByRole("button", { name: "Freeze version" }).click();
    await expect(page.getByTestId("freeze-result")).toContainText("200 pairs");
    await expect(page.getByTestId("versions-table").getByRole("row", { name: /v1/ }).getByTestId("split-counts")).toHaveText("190 / 6 / 4");
  });

  test("an annotator may not open the import page", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill("annotator@disco.local");
    await page.getByLabel("Password").fill("disco-annotator-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("current-user")).toHaveText("annotator@disco.local");
    await page.goto("/datasets/import");
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  });
});
