// A researcher launches an LPO run of the built-in tiny model from the form (after the server refuses a bad setting
// next to its field), watches metric points arrive live over the event stream, sees the run succeed with a final
// checkpoint whose adapter the server checks as PEFT files, and the adapter loads back into the tiny model through
// the trainer's own API. The demo's seeded LPO run is listed too.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { expect, test, type Page } from "@playwright/test";

// The e2e server runs with DISCO_DATA_DIR=.data/e2e (playwright.config.ts): runs and models live there.
const DATA_DIR = path.resolve(".data/e2e");

async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill("researcher@disco.local");
  await page.getByLabel("Password").fill("disco-researcher-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toHaveText("researcher@disco.local");
}

const setting = (page: Page, name: string) => page.getByTestId("launch-form").locator(`[data-setting="${name}"] input`);

test("a researcher launches an LPO run of the tiny model, watches it live, and its adapter loads back", async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await signIn(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Experiments" }).click();
  await expect(page).toHaveURL(/\/experiments$/);
  await expect(page.getByTestId("runs-table").getByRole("row", { name: /Demo: LPO on the tiny model/ })).toBeVisible();

  await page.getByRole("link", { name: "New run" }).click();
  const form = page.getByTestId("launch-form");
  await form.getByLabel("Method and preset").selectOption("lpo");
  await expect(page.getByTestId("preset-description")).toContainText("beta 10, gamma 5.4, alpha 0.05");
  await expect(form.locator('[data-setting="loss.beta"] input')).toHaveValue("10");
  await expect(form.locator('[data-setting="loss.beta"]')).toContainText("Reward scale");
  const demoVersion = await form.getByLabel("Dataset version").locator("option", { hasText: "demo-v1" }).getAttribute("value");
  await form.getByLabel("Dataset version").selectOption(demoVersion!);
  await form.getByRole("combobox", { name: /^Base model/ }).selectOption({ label: "tiny-llama (llama)" });
  await form.getByLabel("Run name (optional)").fill("e2e LPO tiny");

  // Small enough to finish quickly on two cores, after the demo run the worker may still be training.
  const small: Record<string, string> = {
    maxSteps: "6",
    effectiveBatchSize: "2",
    microBatchSize: "1",
    maxLength: "128",
    maxPromptLength: "48",
    checkpointEvery: "3",
    evalEvery: "3",
    "lora.r": "0",
    "lora.alpha": "8",
    "optimizer.learningRate": "0.001",
  };
  for (const [name, value] of Object.entries(small)) await setting(page, name).fill(value);

  // The server validates: rank 0 is refused and the message sits next to the LoRA rank field.
  await form.getByRole("button", { name: "Launch run" }).click();
  await expect(form.locator('[data-field-error="lora.r"]')).toBeVisible();
  await expect(page.getByTestId("launch-error")).toContainText("lora.r");
  await setting(page, "lora.r").fill("4");
  await form.getByRole("button", { name: "Launch run" }).click();

  await expect(page).toHaveURL(/\/experiments\/[0-9a-f-]{36}$/);
  const runId = page.url().split("/").pop()!;
  await expect(page.getByRole("heading", { name: "e2e LPO tiny" })).toBeVisible();
  await expect(page.getByTestId("run-status")).toHaveText(/queued|running/);

  // Live: points arrive over the event stream while the run is still running.
  await expect(page.getByTestId("run-status")).toHaveText("running", { timeout: 180_000 });
  await expect.poll(async () => Number(await page.getByTestId("metric-count").textContent()), { timeout: 120_000 }).toBeGreaterThan(0);
  const seenWhileRunning = await page.getByTestId("run-status").textContent();
  await expect(page.locator('[data-metric="loss"] .recharts-line').first()).toBeVisible();

  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 180_000 });
  expect(["running", "succeeded"]).toContain(seenWhileRunning);
  await expect(page.getByTestId("stream-state")).toHaveText("stream: finished");
  // Every metric point of the run reached the page exactly once: the count equals what the API holds.
  const api = await page.request.get(`/api/runs/${runId}/metrics`);
  const series = (await api.json()).metrics as Record<string, { step: number }[]>;
  const total = Object.values(series).reduce((sum, points) => sum + points.length, 0);
  expect(series.loss!.map((point) => point.step)).toEqual([1, 2, 3, 4, 5, 6]);
  await expect(page.getByTestId("metric-count")).toHaveText(String(total));

  const checkpoints = page.getByTestId("checkpoints-table");
  const finalRow = checkpoints.getByRole("row", { name: /final/ });
  await expect(finalRow).toContainText("6");
  await expect(finalRow.getByTestId("adapter-check")).toHaveText(/^ok: rank 4, \d+ LoRA pairs$/);
  await expect(page.getByTestId("run-log")).toContainText("finished after 6 steps");
  await testInfo.attach("run-page", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

  // The adapter loads back into the base model with the trainer's PEFT loader (in a separate Node process, as a
  // script using the trainer would).
  const loadBack = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      `const t = await import(${JSON.stringify(pathToFileURL(path.resolve("trainer/src/index.ts")).href)});
       await t.initBackend("cpu");
       const model = t.loadCausalLM(process.argv[1]);
       const loaded = t.loadAdapter(process.argv[2], model);
       console.log(JSON.stringify({ r: loaded.config.r, modules: loaded.modules }));`,
      path.join(DATA_DIR, "models", "tiny-llama"),
      path.join(DATA_DIR, "runs", runId, "checkpoints", "step-6"),
    ],
    { encoding: "utf8", timeout: 120_000 },
  );
  expect(loadBack.status, loadBack.stderr).toBe(0);
  const loaded = JSON.parse(loadBack.stdout.trim().split("\n").pop()!) as { r: number; modules: number };
  expect(loaded.r).toBe(4);
  expect(loaded.modules).toBeGreaterThan(0);

  // The list shows it with its final loss and backend.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Experiments" }).click();
  const row = page.getByTestId("runs-table").getByRole("row", { name: /e2e LPO tiny/ });
  await expect(row.getByTestId("run-status")).toHaveText("succeeded");
  await expect(row).toContainText(/wasm|cpu|tensorflow/);
});
