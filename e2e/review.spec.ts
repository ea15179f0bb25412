// The pair review page in the browser on the demo data: mask highlights and analyzer findings on the seeded ping
// pair (its secure code deliberately keeps shell=True, so Bandit B602 stays), keyboard accept, reject with a reason,
// and an edit that removes shell=True and makes B602 disappear after the save re-analyzes the pair.
import { expect, test, type Page, type TestInfo } from "@playwright/test";

const PING = /pings a host a given number of times/;
const TAR = /compresses a given directory into a tar\.gz archive/;
const SQLITE = /looks up the users in a SQLite database/;

async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill("annotator@disco.local");
  await page.getByLabel("Password").fill("disco-annotator-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toHaveText("annotator@disco.local");
}

async function openPair(page: Page, instruction: RegExp) {
  // Only the demo pairs (49, one page): other specs may have imported hundreds of newer pairs.
  await page.goto("/pairs?source=demo");
  await page.getByTestId("pair-link").filter({ hasText: instruction }).click();
  await expect(page.getByTestId("pair-title")).toHaveText(instruction);
  await expect(page.getByTestId("diff-editor")).toBeVisible();
}

async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
}

/** Presses a shortcut with the focus on the page body (shortcuts are off inside fields and the editor). */
async function shortcut(page: Page, key: string) {
  await page.getByTestId("pair-title").click();
  await page.keyboard.press(key);
}

test.describe.configure({ mode: "serial" });

test("the ping pair shows masks and its remaining B602 finding", async ({ page, baseURL }, testInfo) => {
  // Monaco must come from our own bundle: any request to another host (a CDN) fails the test.
  const foreign: string[] = [];
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(baseURL!) && !url.startsWith("data:") && !url.startsWith("blob:")) foreign.push(url);
  });
  await signIn(page);
  await openPair(page, PING);
  // The worker analyzes the demo pairs after the first start: reload until this revision's findings are in.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("findings-secure").locator('li[data-rule="B602"]')).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 90_000 });
  await expect(page.getByTestId("secure-flagged")).toContainText("Secure code still flagged");
  await expect(page.getByTestId("findings-secure")).toContainText(/bandit B602 CWE-78 high: /i);
  // Highlights are Monaco decorations with our own classes, on both sides; the finding is a marker (squiggle) too.
  await expect.poll(() => page.locator(".editor.original .mask-minus").count()).toBeGreaterThan(0);
  await expect.poll(() => page.locator(".editor.modified .mask-plus").count()).toBeGreaterThan(0);
  await expect.poll(() => page.locator(".editor.modified .squiggly-error").count()).toBeGreaterThan(0);
  await expect(page.getByTestId("cwe-link")).toHaveAttribute("href", "/knowledge#CWE-78");
  await screenshot(page, testInfo, "review-ping-pair");
  expect(foreign).toEqual([]);

  // The help overlay lists every shortcut.
  await shortcut(page, "?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  for (const key of ["a", "r", "e", "Ctrl+S", "j", "k", "?"]) await expect(help.locator("kbd", { hasText: new RegExp(`^${key.replace(/[?+]/g, "\\$&")}$`) })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();

  // A shortcut letter typed into the comment box is text, not an action.
  await page.getByLabel("New comment").fill("");
  await page.getByLabel("New comment").press("a");
  await expect(page.getByTestId("notice")).toHaveCount(0);
  await expect(page.getByLabel("New comment")).toHaveValue("a");
});

test("accept with the keyboard, reject with a reason", async ({ page }, testInfo) => {
  await signIn(page);
  await openPair(page, TAR);
  await expect(page.getByTestId("pair-status")).toHaveText("unreviewed");
  await shortcut(page, "a");
  await expect(page.getByTestId("pair-status")).toHaveText("accepted");
  await expect(page.getByTestId("my-review")).toContainText("accept");
  await page.reload();
  await expect(page.getByTestId("pair-status")).toHaveText("accepted");

  await openPair(page, SQLITE);
  await shortcut(page, "r");
  const dialog = page.getByRole("dialog", { name: "Reject pair" });
  await dialog.getByLabel("Not equivalent").check();
  await dialog.getByLabel("Details").fill("the secure version returns tuples, not dictionaries");
  await dialog.getByRole("button", { name: "Reject" }).click();
  await expect(page.getByTestId("pair-status")).toHaveText("rejected");
  await expect(page.getByTestId("my-review")).toContainText("not equivalent: the secure version returns tuples");
  await screenshot(page, testInfo, "review-rejected");
});

test("editing the secure code to drop shell=True removes B602 after the save", async ({ page }, testInfo) => {
  await signIn(page);
  await openPair(page, PING);
  await expect(page.getByTestId("findings-secure").locator('li[data-rule="B602"]')).toBeVisible();
  await shortcut(page, "e");
  await expect(page.getByTestId("save")).toBeVisible();

  const secure = page.locator(".editor.modified");
  // Replace the shell command string with an argument list, then delete the shell=True argument.
  await secure.locator(".view-line", { hasText: "shlex.quote(host)" }).click();
  await page.keyboard.press("Home");
  await page.keyboard.press("Shift+End");
  await page.keyboard.insertText('command = ["ping", "-c", str(int(count)), host]');
  await secure.locator(".view-line", { hasText: "shell=True," }).click();
  await page.keyboard.press("Home");
  await page.keyboard.press("Shift+End");
  await page.keyboard.press("Delete");
  await expect(secure.locator(".view-line", { hasText: "shell=True" })).toHaveCount(0);

  await page.keyboard.press("Control+s");
  await expect(page.getByTestId("notice")).toContainText("Saved revision 2", { timeout: 60_000 });
  await expect(page.getByTestId("findings-secure").locator('li[data-rule="B602"]')).toHaveCount(0);
  await expect(page.getByTestId("findings-insecure").locator('li[data-rule="B602"]')).toBeVisible();
  await expect(page.getByTestId("revisions")).toContainText("rev. 2");
  await expect.poll(() => page.locator(".editor.modified .mask-plus").count()).toBeGreaterThan(0);
  await screenshot(page, testInfo, "review-after-edit");

  // A reload shows the stored revision: the fix is not only on screen.
  await page.reload();
  await expect(page.getByTestId("findings-secure").locator('li[data-rule="B602"]')).toHaveCount(0);
});
