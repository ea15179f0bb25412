// A researcher edits a knowledge-base entry and previews a prompt template filled from it (with and without a package);
// an annotator sees the knowledge base read-only.
import { expect, test, type Page } from "@playwright/test";

const ENTRY_TITLE = "Insecure Temporary File";

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toHaveText(email);
}

test("a researcher edits an entry and previews a template filled from it", async ({ page }, testInfo) => {
  await signIn(page, "researcher@disco.local", "disco-researcher-demo");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Knowledge base" }).click();
  await expect(page).toHaveURL(/\/knowledge$/);

  const description = `Temporary files with predictable names can be replaced by another user (edited ${Date.now()}).`;
  await page.getByRole("button", { name: `Edit ${ENTRY_TITLE}` }).click();
  const form = page.getByRole("form", { name: `Edit entry ${ENTRY_TITLE}` });
  await form.getByLabel("Description").fill(description);
  await form.getByRole("button", { name: "Save" }).click();
  const row = page.getByTestId("kb-table").getByTestId("kb-row").filter({ hasText: ENTRY_TITLE });
  await expect(row).toContainText(description);
  // The edit is stored: it survives a reload.
  await page.reload();
  await expect(page.getByTestId("kb-table").getByTestId("kb-row").filter({ hasText: ENTRY_TITLE })).toContainText(description);

  // A new template (saved as version 1), previewed from the edited entry with a package and without one.
  await page.goto("/distill/templates");
  await expect(page.getByRole("heading", { name: "Prompt templates" })).toBeVisible();
  await page.getByRole("button", { name: "New template" }).click();
  const name = `e2e-gen-${Date.now()}`;
  await page.getByLabel("Template name").fill(name);
  await page.getByLabel("Template body").fill("Issue: [ISSUE] ([CWE]). [DESCRIPTION]\nWrite vulnerable [PACKAGE] Python code.\nVUL: <code>");
  await expect(page.getByTestId("template-slots")).toContainText("[ISSUE] [CWE] [DESCRIPTION] [PACKAGE]");
  await page.getByRole("button", { name: "Create template" }).click();
  await expect(page.locator(".tpl-main").getByRole("status")).toHaveText(`Saved ${name} version 1.`);
  await expect(page.getByTestId("template-title")).toContainText(name);

  await page.getByLabel("Find entry").fill("Temporary");
  await expect(page.getByLabel("Entry", { exact: true }).locator("option", { hasText: ENTRY_TITLE })).toHaveCount(1);
  await page.getByLabel("Entry", { exact: true }).selectOption({ label: `CWE-377 · ${ENTRY_TITLE} (cwe)` });
  await page.getByLabel("Package", { exact: true }).selectOption({ label: "os" });
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("template-preview")).toHaveText(`Issue: ${ENTRY_TITLE} (CWE-377). ${description}\nWrite vulnerable os Python code.\nVUL: <code>`);
  await page.getByLabel("Package", { exact: true }).selectOption({ label: "none (simple prompt)" });
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("template-preview")).toContainText("Write vulnerable Python code.");

  // Editing makes version 2; the preview flags a slot the template kind cannot fill.
  await page.getByLabel("Template body").fill("[ISSUE] [PACKAGE] [r-]");
  await expect(page.getByTestId("template-slots")).toContainText("Not available in a generation template: [r-]");
  await page.getByRole("button", { name: "Save as new version" }).click();
  await expect(page.locator(".tpl-main").getByRole("alert").first()).toContainText("[r-] cannot be filled in a generation template");
  await page.getByLabel("Template body").fill("[ISSUE] with [PACKAGE]. VUL: <code>");
  await page.getByRole("button", { name: "Save as new version" }).click();
  await expect(page.locator(".tpl-main").getByRole("status")).toHaveText(`Saved ${name} version 2.`);
  await testInfo.attach("templates", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
});

test("an annotator sees the knowledge base read-only", async ({ page }) => {
  await signIn(page, "annotator@disco.local", "disco-annotator-demo");
  await page.goto("/knowledge");
  await expect(page.getByTestId("kb-table").getByTestId("kb-row").first()).toBeVisible();
  await expect(page.getByText("Read-only for your role.")).toBeVisible();
  await expect(page.getByRole("button", { name: /^Edit / })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Delete / })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "New entry" })).toHaveCount(0);
  await expect(page.getByRole("form", { name: "Import knowledge base" })).toHaveCount(0);
  await expect(page.getByTestId("packages-table")).toBeVisible();
  // The API refuses the edit too.
  const entryId = await page.getByTestId("kb-row").first().getAttribute("data-entry-id");
  const response = await page.request.patch(`/api/knowledge/${entryId}`, {
    data: { cweId: "CWE-1", title: "x", description: "y", source: "CUSTOM" },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(response.status()).toBe(403);
  // Templates are researcher+.
  await page.goto("/distill/templates");
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
});
