// `npm run bench`: every performance target of the project, measured on this machine and printed as one table.
// Targets are checked here, not in timed tests, so a slow CI machine never fails the suite.
import { spawnSync } from "node:child_process";
import os from "node:os";
import { benchSecurity, type BenchRow } from "./bench-security";

const suites: { name: string; run: () => Promise<BenchRow[]> }[] = [{ name: "security engine", run: () => benchSecurity() }];

const rows: (BenchRow & { suite: string })[] = [];
for (const suite of suites) {
  console.error(`running ${suite.name}…`);
  for (const row of await suite.run()) rows.push({ suite: suite.name, ...row });
}

const header = ["suite", "measurement", "value", "unit", "target"];
const cells = rows.map((row) => [row.suite, row.name, row.value.toFixed(row.value < 10 ? 2 : 1), row.unit, row.target]);
const widths = header.map((title, index) => Math.max(title.length, ...cells.map((cell) => cell[index]!.length)));
const line = (values: string[]) => values.map((value, index) => value.padEnd(widths[index]!)).join("  ");
console.log(`machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.cpus()[0]?.model ?? "unknown cpu"}, node ${process.version}`);
console.log(line(header));
console.log(line(widths.map((width) => "-".repeat(width))));
for (const cell of cells) console.log(line(cell));

// The pair-list bench seeds its own 100k-pair database and prints its own table (p50/p95 per filter combination).
console.log("\npair list at 100,000 pairs (target: list query p95 < 150 ms)");
const pairs = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/bench-pairs.ts"], { stdio: ["ignore", "inherit", "inherit"] });
if (pairs.status !== 0) process.exitCode = pairs.status ?? 1;

// The trainer bench loads TensorFlow.js (wasm) in its own process and prints its own table (tokens/s and peak memory
// per method for the tiny model and a ~30M-parameter llama).
console.log("\ntrainer throughput and memory (forward + backward + update)");
const trainer = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/bench-trainer.ts"], { stdio: ["ignore", "inherit", "inherit"] });
if (trainer.status !== 0) process.exitCode = trainer.status ?? 1;

// The sandbox bench runs HumanEval's canonical solutions x5 through bubblewrap and prints its own table (issue 7).
console.log("\nsandboxed pass@k throughput (target: HumanEval 164 x 5 under 90 s on 2 cores)");
const sandbox = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/bench-sandbox.ts"], { stdio: ["ignore", "inherit", "inherit"] });
if (sandbox.status !== 0) process.exitCode = sandbox.status ?? 1;
