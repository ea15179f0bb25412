// A researcher imports the released DiSCo test CSV from the import page, follows the job, and sees the report;
// a second upload of the same file inserts nothing. Skipped when the shared data folder is absent.
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
