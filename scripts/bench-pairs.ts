// `npx tsx scripts/bench-pairs.ts [--pairs 100000] [--runs 40]`: the pair list at scale. Seeds N pairs in a
// throwaway embedded PostgreSQL (migrations applied, rows made by generate_series in SQL, so seeding takes seconds),
// then times listPairs (count + page) and the review page's next/previous query for several filter combinations
// and prints p50/p95 per combination. The pg_trgm GIN indexes the text search needs come with the migrations.
// Target: list query p95 under 150 ms at 100k pairs.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { startEmbeddedPostgres } from "../lib/db/embedded-postgres";
import { applyMigrations } from "../lib/db/migrate";

function argValue(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}
const PAIRS = argValue("--pairs", 100_000);
const RUNS = argValue("--runs", 40);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), "disco-bench-pairs-"));
const embedded = await startEmbeddedPostgres({ dataDir: path.join(root, "data"), persistent: false, database: "disco_bench" });
try {
  process.env.DATABASE_URL = embedded.url;
  await applyMigrations(embedded.url, path.resolve("prisma/migrations"));
  const { getDb, disconnectDb } = await import("../lib/db/client");
  const { listPairs, findPairNeighbors } = await import("../lib/pairs/list-pairs");
  const db = getDb();

  const seedStarted = performance.now();
  const dataset = await db.dataset.create({ data: { name: "bench" } });
  // Realistic shapes: ~60 CWEs, 25 packages, 4 sources, code of ~20 lines, 12% secure flagged, 2% parse errors.
  await db.$executeRawUnsafe(
    `insert into pairs (id, "datasetId", instruction, "insecureCode", "secureCode", "reasonInsecure", "reasonSecure", reasoning, "cweId", "packageName", source, status,
                        revision, "contentHash", "secureFlagged", "insecureParseError", "secureParseError", "createdAt", "updatedAt")
     select gen_random_uuid(), $1::uuid,
            'Write a function number ' || g || ' that ' || (array['reads a file','runs a command','queries a table','parses XML','hashes a password','loads settings'])[1 + g % 6] || ' for user ' || md5(g::text),
            repeat('import os' || chr(10) || 'import subprocess' || chr(10) || '' || chr(10) || 'def handler_' || g || '(value):' || chr(10) || '    data = process(value)' || chr(10) || '    return subprocess.run("cmd " + value, shell=True)' || chr(10) || '', 4),
            repeat('import os' || chr(10) || 'import subprocess' || chr(10) || '' || chr(10) || 'def handler_' || g || '(value):' || chr(10) || '    data = process(value)' || chr(10) || '    return subprocess.run(["cmd", value])' || chr(10) || '', 4),
            'r-', 'r+', 'R',
            'CWE-' || (20 + g % 60), (array['os','subprocess','pickle','yaml','requests','sqlite3','hashlib','random','xml','flask','jinja2','tempfile','shutil','socket','ssl','urllib','json','re','zipfile','tarfile','paramiko','django','lxml','crypt','ftplib'])[1 + g % 25],
            (array['disco-csv','safecoder','trl','demo'])[1 + g % 4],
            (array['UNREVIEWED','UNREVIEWED','UNREVIEWED','IN_REVIEW','ACCEPTED','REJECTED','CONFLICT'])[1 + g % 7]::"PairStatus",
            1, md5('bench' || g), (g % 7 = 0), case when g % 50 = 0 then 'line 1: invalid syntax' end, null,
            now() - (g || ' seconds')::interval, now()
       from generate_series(1, $2::int) g`,
    dataset.id,
    PAIRS,
  );
  await db.$executeRawUnsafe(`analyze pairs`);
  const seedMs = performance.now() - seedStarted;
  const samplePair = (await db.pair.findFirstOrThrow({ where: { cweId: "CWE-78" }, orderBy: { createdAt: "desc" }, select: { id: true } })).id;

  const cases: { name: string; query: Record<string, unknown> }[] = [
    { name: "no filter, newest first, page 1", query: {} },
    { name: "no filter, page 500", query: { page: 500 } },
    { name: "CWE-78", query: { cwe: "CWE-78" } },
    { name: "CWE-78 sorted by status", query: { cwe: "CWE-78", sort: "status", dir: "asc" } },
    { name: "package + source", query: { package: "pickle", source: "safecoder" } },
    { name: "status UNREVIEWED", query: { status: "UNREVIEWED" } },
    { name: "secure still flagged", query: { flagged: "yes" } },
    { name: "parse errors", query: { parseErrors: "yes" } },
    { name: "sort by CWE", query: { sort: "cwe", dir: "asc" } },
    { name: "text search (rare: md5 fragment)", query: { q: "c4ca4238a0b9" } },
    { name: "text search (common: in every row)", query: { q: "shell=True" } },
    { name: "CWE-78 + flagged + text", query: { cwe: "CWE-78", flagged: "yes", q: "hashes a password" } },
  ];
  const results: { name: string; total: number; p50: number; p95: number; neighborsP95: number }[] = [];
  for (const entry of cases) {
    const times: number[] = [];
    const neighborTimes: number[] = [];
    let total = 0;
    for (let run = 0; run < RUNS + 3; run++) {
      const started = performance.now();
      total = (await listPairs(db, entry.query)).total;
      const listMs = performance.now() - started;
      const neighborsStarted = performance.now();
      await findPairNeighbors(db, entry.query, samplePair);
      const neighborsMs = performance.now() - neighborsStarted;
      if (run >= 3) {
        times.push(listMs);
        neighborTimes.push(neighborsMs);
      }
    }
    results.push({ name: entry.name, total, p50: percentile(times, 50), p95: percentile(times, 95), neighborsP95: percentile(neighborTimes, 95) });
  }

  console.log(`machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; ${PAIRS} pairs seeded in ${(seedMs / 1000).toFixed(1)} s; ${RUNS} timed runs per case`);
  const header = ["filter", "matches", "list p50 ms", "list p95 ms", "next/prev p95 ms"];
  const cells = results.map((row) => [row.name, String(row.total), row.p50.toFixed(1), row.p95.toFixed(1), row.neighborsP95.toFixed(1)]);
  const widths = header.map((title, index) => Math.max(title.length, ...cells.map((cell) => cell[index]!.length)));
  const line = (values: string[]) => values.map((value, index) => (index === 0 ? value.padEnd(widths[index]!) : value.padStart(widths[index]!))).join("  ");
  console.log(line(header));
  console.log(line(widths.map((width) => "-".repeat(width))));
  for (const cell of cells) console.log(line(cell));
  const worst = Math.max(...results.map((row) => row.p95));
  console.log(`worst list p95: ${worst.toFixed(1)} ms (target < 150 ms): ${worst < 150 ? "met" : "NOT met"}`);
  await disconnectDb();
} finally {
  await embedded.stop();
  fs.rmSync(root, { recursive: true, force: true });
}
