// Issue 7's "Done when", as far as a browser test can go on two shared cores: SecurityEval and HumanEval are imported
// from the shared data folder (through the import API, as the Benchmarks page does), the demo LPO run of the tiny
// model and its base model are evaluated on both from the launch form (a few items, short answers), every
// evaluation is generated and scored by the worker, the Table 1 view shows the Base and LPO rows with each cell
// linking to the generations behind it, and the LaTeX export is a booktabs table with both rows. The demo's own
// evaluations (built-in demo benchmarks, queued at start once the demo run finishes) show on the leaderboard too.
import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

const SHARED = path.resolve("../shared/data");
const SECURITYEVAL = path.join(SHARED, "bench/securityeval/dataset.jsonl");
const HUMANEVAL = path.join(SHARED, "bench/humaneval/HumanEval.jsonl");

async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill("researcher@disco.local");
  await page.getByLabel("Password").fill("disco-researcher-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toHaveText("researcher@disco.local");
}

async function poll<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

type TBenchmark = { id: string; name: string; items: number };
async function benchmarks(request: APIRequestContext): Promise<TBenchmark[]> {
  return ((await (await request.get("/api/benchmarks")).json()) as { benchmarks: TBenchmark[] }).benchmarks;
}

test("the tiny model's LPO run and its base are evaluated on SecurityEval and HumanEval from the browser; Table 1, drill-down, LaTeX", async ({ page }) => {
  test.skip(!fs.existsSync(SECURITYEVAL) || !fs.existsSync(HUMANEVAL), `the shared benchmark files are absent (${SECURITYEVAL}, ${HUMANEVAL})`);
  test.setTimeout(900_000);
  await signIn(page);
  const request = page.request;
  // Mutations need our own Origin (the API's cross-site check), as the pages' fetch sends it.
  const origin = new URL(page.url()).origin;
  const post = (url: string, data: unknown) => request.post(url, { data, headers: { origin } });

  // Import both benchmarks (jobs on the import queue) from the Benchmarks page's API; a path outside the folder is refused.
  const escape = await post("/api/benchmarks/import", { serverPath: "../../etc/passwd", format: "securityeval" });
  expect(escape.status()).toBe(400);
  expect(((await escape.json()) as { error: string }).error).toMatch(/inside the shared data folder/);
  for (const [serverPath, format] of [
    ["bench/securityeval/dataset.jsonl", "securityeval"],
    ["bench/humaneval/HumanEval.jsonl", "humaneval"],
  ]) {
    const response = await post("/api/benchmarks/import", { serverPath, format });
    expect(response.status(), await response.text()).toBe(200);
  }
  await poll(async () => {
    const names = (await benchmarks(request)).filter((b) => b.items > 0).map((b) => b.name);
    return names.includes("SecurityEval") && names.includes("HumanEval");
  }, 120_000, "SecurityEval and HumanEval to be imported");
  await page.goto("/benchmarks");
  await expect(page.getByTestId("benchmarks-table").getByRole("row", { name: /SecurityEval/ })).toContainText("121");
  await expect(page.getByTestId("benchmarks-table").getByRole("row", { name: /^HumanEval/ })).toContainText("164");

  // The demo run (preset lpo-no-sft) is an ablation and belongs to Table 3; Table 1 wants the LPO preset. Train a
  // small LPO run of the tiny model on the demo version (a few steps), once the demo run has freed the worker.
  type TRun = { id: string; name: string; status: string; model: { id: string } | null; datasetVersion: { id: string } | null };
  const runs = async () => ((await (await request.get("/api/runs?limit=50")).json()) as { runs: TRun[] }).runs;
  const demoRun = await poll(async () => (await runs()).find((run) => run.name === "Demo: LPO on the tiny model"), 30_000, "the demo run to be listed");
  const launched = await post("/api/runs", {
    presetId: "lpo",
    datasetVersionId: demoRun.datasetVersion!.id,
    baseModelId: demoRun.model!.id,
    name: "e2e eval LPO tiny",
    overrides: { maxSteps: 4, effectiveBatchSize: 2, microBatchSize: 1, maxLength: 128, maxPromptLength: 48, checkpointEvery: 2, evalEvery: 2, lora: { r: 4, alpha: 8 } },
  });
  expect(launched.status(), await launched.text()).toBe(201);
  const lpoRunId = ((await launched.json()) as { run: { id: string } }).run.id;
  await poll(async () => {
    const run = (await runs()).find((candidate) => candidate.id === lpoRunId);
    if (run && (run.status === "FAILED" || run.status === "CANCELLED")) throw new Error(`the LPO run ended ${run.status}`);
    return run?.status === "SUCCEEDED";
  }, 600_000, "the LPO run to succeed");

  // Launch the four evaluations from the form: a bad setting first, refused next to its field.
  await page.goto("/evaluations");
  await page.getByRole("link", { name: "New evaluation" }).click();
  const form = page.getByTestId("evaluation-form");
  await form.getByLabel("Benchmark").selectOption({ label: "SecurityEval (security, 121 items)" });
  await form.getByLabel("Samples per item").fill("0");
  await form.getByRole("button", { name: "Launch evaluation" }).click();
  await expect(form.locator('[data-field-error="samples"]')).toBeVisible();

  const launch = async (subject: "run" | "model", benchmarkLabel: RegExp) => {
    await page.goto("/evaluations/new");
    const launchForm = page.getByTestId("evaluation-form");
    if (subject === "run") {
      await launchForm.getByLabel("a finished training run").check();
      await launchForm.locator('select[name="runId"]').selectOption(lpoRunId);
    } else {
      await launchForm.getByLabel("a registered base model").check();
      await launchForm.locator('select[name="modelId"]').selectOption({ label: "tiny-llama (llama)" });
    }
    const option = launchForm.getByLabel("Benchmark").locator("option", { hasText: benchmarkLabel });
    await launchForm.getByLabel("Benchmark").selectOption((await option.getAttribute("value"))!);
    await launchForm.getByLabel("Samples per item").fill("2");
    await launchForm.getByLabel("Max new tokens").fill("32");
    await launchForm.getByLabel("Limit (first N items)").fill("3");
    await launchForm.getByRole("button", { name: "Launch evaluation" }).click();
    await expect(page).toHaveURL(/\/evaluations\?launched=/);
    return new URL(page.url()).searchParams.get("launched")!;
  };
  const ids = [
    await launch("run", /^SecurityEval/),
    await launch("model", /^SecurityEval/),
    await launch("run", /^HumanEval/),
    await launch("model", /^HumanEval/),
  ];

  // The list refreshes itself while they run; each ends succeeded with its generations (3 items x 2 samples).
  for (const id of ids) {
    await expect(page.locator(`tr[data-evaluation-id="${id}"]`)).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 480_000 });
    await expect(page.locator(`tr[data-evaluation-id="${id}"]`)).toContainText("6");
  }

  // Table 1: a Base row and an LPO row for the tiny model, with SecurityEval and HumanEval column groups.
  await page.goto("/leaderboards?view=table1");
  const table = page.getByTestId("leaderboard-table");
  await expect(table.getByRole("columnheader", { name: "SecurityEval" })).toBeVisible();
  await expect(table.getByRole("columnheader", { name: "HumanEval" })).toBeVisible();
  const baseRow = table.getByRole("row").filter({ hasText: "tiny-llama" }).filter({ hasText: "Base" });
  const lpoRow = table.getByRole("row").filter({ hasText: "tiny-llama" }).filter({ hasText: "LPO" });
  await expect(baseRow).toHaveCount(1);
  await expect(lpoRow.first()).toBeVisible();
  // The per-CWE chart section (Figure 2) is on the page.
  await expect(page.getByRole("heading", { name: /Issues per CWE by model/ })).toBeVisible();

  // Every cell links to its evaluation; the drill-down shows the generations with their code.
  const cellLinks = lpoRow.first().locator('a[href^="/evaluations/"]');
  expect(await cellLinks.count()).toBeGreaterThan(0);
  const hrefs = await cellLinks.evaluateAll((links) => links.map((link) => link.getAttribute("href")));
  expect(hrefs.some((href) => ids.some((id) => href?.includes(id)))).toBe(true);
  const target = hrefs.find((href) => ids.some((id) => href?.includes(id)))!;
  await page.goto(target);
  await expect(page.getByTestId("evaluation-provenance")).toContainText("succeeded");
  await expect(page.getByTestId("generation")).toHaveCount(6);

  // LaTeX export of Table 1: booktabs, both rows.
  const latex = await (await request.get("/api/leaderboards?view=table1&format=latex")).text();
  expect(latex).toContain("\\toprule");
  expect(latex).toContain("\\bottomrule");
  expect(latex).toContain("SecurityEval");
  expect(latex).toContain("HumanEval");
  expect(latex).toMatch(/tiny-llama & Base/);
  expect(latex).toMatch(/tiny-llama & LPO/);
});
