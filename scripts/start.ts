// `npm start`: the whole product on one machine. Starts the embedded PostgreSQL (unless DATABASE_URL is set), applies
// migrations, seeds the demo on first start, builds the web app when its sources changed, then runs the web server
// and two background workers (one for training/evaluation, one for everything else) as child processes until interrupted.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { disconnectDb, getDb } from "../lib/db/client";
import { applyMigrations } from "../lib/db/migrate";
import { resolveDatabase } from "../lib/db/resolve-database";
import { projectRoot } from "../lib/project-root";
import { QUEUES, type TQueue } from "../lib/jobs/definitions";
import { enqueueJob } from "../lib/jobs/enqueue";
import { stopBoss } from "../lib/jobs/boss";
import { DEMO_ACCOUNTS, DEMO_DATASET_NAME, isDatabaseEmpty, seedDemo } from "../lib/seed/seed-demo";
import { registerTinyModel, seedTrainingDemo } from "../lib/training/demo";

/** Queues whose jobs run TensorFlow.js (training, model generation): they get a worker process of their own. */
const COMPUTE_QUEUES: readonly TQueue[] = ["train", "eval"];

const dev = process.argv.includes("--dev");
const PROJECT_ROOT = projectRoot();
const nextBin = path.join(PROJECT_ROOT, "node_modules/next/dist/bin/next");
const tsxBin = path.join(PROJECT_ROOT, "node_modules/tsx/dist/cli.mjs");
const BUILD_INPUTS = ["app", "components", "lib", "public", "next.config.js", "package.json", "tsconfig.json"];

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(target)) {
    if (entry === "node_modules" || entry === "generated" || entry.endsWith(".test.ts")) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

function buildIsStale(): boolean {
  const buildId = path.join(PROJECT_ROOT, ".next/BUILD_ID");
  if (!fs.existsSync(buildId)) return true;
  const builtAt = fs.statSync(buildId).mtimeMs;
  return BUILD_INPUTS.some((input) => newestMtime(path.join(PROJECT_ROOT, input)) > builtAt);
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

async function main() {
  const database = await resolveDatabase({ allowStartEmbedded: true, log: (line) => process.env.DISCO_DEBUG && console.log(`[postgres] ${line}`) });
  process.env.DATABASE_URL = database.url;
  console.log(`[start] database: ${database.source === "env" ? "DATABASE_URL" : "embedded PostgreSQL in .data/pg"}`);
  const applied = await applyMigrations(database.url);
  if (applied.length) console.log(`[start] applied migrations: ${applied.join(", ")}`);

  const seedWanted = database.source !== "env" || process.env.DISCO_SEED_DEMO === "1";
  let seeded = false;
  if (seedWanted && (await isDatabaseEmpty(getDb()))) {
    const counts = await seedDemo(getDb());
    seeded = true;
    console.log(`[start] seeded demo data: ${counts.users} users, ${counts.entries} knowledge-base entries, ${counts.pairs} pairs`);
    // The worker started below computes the demo pairs' findings and masks, as it would for any imported data.
    const demo = await getDb().dataset.findUniqueOrThrow({ where: { name: DEMO_DATASET_NAME } });
    await enqueueJob(getDb(), "analyze.pairs", { datasetId: demo.id });
    // A frozen demo version and one small LPO run of the built-in tiny model, trained by the worker below.
    const demoRun = await seedTrainingDemo(getDb(), DEMO_DATASET_NAME);
    console.log(`[start] queued the demo training run "${demoRun.name}"`);
    // Once that run has finished, the worker evaluates it and its base model on the built-in demo benchmarks, so the
    // leaderboard shows real (tiny-model) numbers on first start.
    await enqueueJob(getDb(), "eval.demo", { runId: demoRun.id });
    await stopBoss();
  } else if (seedWanted) {
    // Older demo databases get the built-in tiny model too (created under the data folder if missing).
    await registerTinyModel(getDb()).catch((error: Error) => console.error(`[start] could not register the tiny model: ${error.message}`));
  }
  await disconnectDb();

  const env = { ...process.env, DATABASE_URL: database.url, NEXT_TELEMETRY_DISABLED: "1" };
  if (!dev && buildIsStale()) {
    console.log("[start] building the web app (next build)…");
    const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: PROJECT_ROOT, env, stdio: "inherit" });
    if (build.status !== 0) throw new Error("next build failed; see the output above");
  }

  let port = Number(process.env.PORT ?? 3000);
  if (!(await isPortFree(port))) {
    console.log(`[start] port ${port} is busy; trying ${port + 1}`);
    port += 1;
  }
  const hostname = process.env.HOST ?? "0.0.0.0";
  const children: ChildProcess[] = [
    spawn(process.execPath, [nextBin, dev ? "dev" : "start", "-p", String(port), "-H", hostname], { cwd: PROJECT_ROOT, env, stdio: "inherit" }),
    // Two workers: training and model generation are seconds-long synchronous TensorFlow.js steps that would starve
    // every other job sharing their event loop (analyzer replies, database transactions, LLM requests), so they get a
    // process of their own; wasm is single-threaded, so this also puts the second core to work.
    spawn(process.execPath, [tsxBin, "cli/index.ts", "worker", "--queues", COMPUTE_QUEUES.join(",")], { cwd: PROJECT_ROOT, env, stdio: "inherit" }),
    spawn(process.execPath, [tsxBin, "cli/index.ts", "worker", "--queues", QUEUES.filter((queue) => !COMPUTE_QUEUES.includes(queue)).join(",")], {
      cwd: PROJECT_ROOT,
      env,
      stdio: "inherit",
    }),
  ];

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once("exit", resolve)) : null)));
    await database.stop();
    process.exit(code);
  };
  for (const child of children) {
    child.once("exit", (code) => {
      if (!stopping) {
        console.error(`[start] a child process exited (code ${code}); stopping everything`);
        void stop(code ?? 1);
      }
    });
  }
  process.once("SIGINT", () => void stop(0));
  process.once("SIGTERM", () => void stop(0));

  const url = `http://localhost:${port}`;
  console.log(`\nDiSCo Studio is running at ${url}`);
  if (database.source !== "env" || seeded) {
    console.log("Demo accounts (email / password):");
    for (const account of DEMO_ACCOUNTS) console.log(`  ${account.role.toLowerCase().padEnd(10)} ${account.email} / ${account.password}`);
  }
  console.log("Press Ctrl+C to stop.\n");
}

main().catch((error) => {
  console.error(`[start] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
