// `disco kb import` as a user runs it: a real process against the test database, with a small fixture file.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../../lib/db/client";
import { projectRoot } from "../../lib/project-root";

const BIN = path.resolve(projectRoot(), "bin/disco.mjs");
const db = getDb();
const tag = crypto.randomBytes(4).toString("hex");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "disco-kb-"));

function disco(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL }, encoding: "utf8", timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

afterAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  await db.knowledgeEntry.deleteMany({ where: { title: { contains: tag } } });
});

describe("disco kb import", () => {
  it("imports, reports bad rows by line, is idempotent, and exits 2 on bad options", () => {
    const file = path.join(tmp, "my_rules.csv");
    fs.writeFileSync(file, [",Title,CWE,Description,Examples", `0,Tmp file ${tag},CWE-377,"Predictable temporary
file names.",NULL`, `1,Broken ${tag},nope,x,NULL`, `2,Eval ${tag},CWE-095,Eval of input.,eval(x)`].join("\n") + "\n");

    const first = disco(["kb", "import", file, "--source", "custom", "--json"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      format: "disco",
      source: "CUSTOM",
      total: 3,
      created: 2,
      updated: 0,
      invalidCount: 1,
      invalid: [{ line: 4, reason: expect.stringContaining('"nope" is not a CWE id') }],
    });

    const again = disco(["kb", "import", file, "--source", "custom"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("disco (custom): 3 rows, 0 created, 0 updated, 2 unchanged, 1 invalid");
    expect(again.stdout).toContain("line 4:");

    const noSource = disco(["kb", "import", file]);
    expect(noSource.code).toBe(1);
    expect(noSource.stderr).toMatch(/cannot tell the source of my_rules\.csv/);

    const badFormat = disco(["kb", "import", file, "--format", "xml"]);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/--format must be one of disco, mitre/);

    const missing = disco(["kb", "import", path.join(tmp, "nope.csv")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.csv: ENOENT/);
  });
});
