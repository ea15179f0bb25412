// The `disco` command as a user runs it: a real process, against the test database.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../lib/db/client";
import { computePairMasks } from "../lib/masks/mask-spans";
import { loadTokenizer } from "../lib/tokenizers/registry";

const BIN = path.resolve("bin/disco.mjs");
const createdEmails: string[] = [];

function disco(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL },
    input,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

afterAll(async () => {
  const users = await getDb().user.findMany({ where: { email: { in: createdEmails } }, select: { id: true } });
  await getDb().auditLog.deleteMany({ where: { entityId: { in: users.map((user) => user.id) } } });
  await getDb().user.deleteMany({ where: { email: { in: createdEmails } } });
});

describe("disco CLI", () => {
  it("prints help for every command", () => {
    const top = disco(["--help"]);
    expect(top.code).toBe(0);
    for (const command of ["users", "db", "health", "jobs", "worker"]) expect(top.stdout).toContain(command);
    const create = disco(["users", "create", "--help"]);
    expect(create.code).toBe(0);
    expect(create.stdout).toContain("--email <email>");
    expect(create.stdout).toContain("--json");
  });

  it("creates a user with --json and a password from stdin, and the user can be listed", async () => {
    const email = `cli-${Date.now()}@test.local`;
    createdEmails.push(email);
    const created = disco(["users", "create", "--email", email, "--role", "researcher", "--password-stdin", "--json"], "cli-password-1\n");
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const user = JSON.parse(created.stdout);
    expect(user).toMatchObject({ email, role: "RESEARCHER" });
    expect(user.password).toBeUndefined();
    expect(user.passwordHash).toBeUndefined();
    const stored = await getDb().user.findUnique({ where: { email } });
    expect(stored?.role).toBe("RESEARCHER");

    const listed = disco(["users", "list", "--json"]);
    expect(JSON.parse(listed.stdout).map((row: { email: string }) => row.email)).toContain(email);
  });

  it("generates and prints a password when none is given", () => {
    const email = `cli-gen-${Date.now()}@test.local`;
    createdEmails.push(email);
    const created = disco(["users", "create", "--email", email, "--role", "annotator", "--json"]);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout).password).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it("exits non-zero with a clear message on bad input, and stores nothing", async () => {
    const email = `cli-bad-${Date.now()}@test.local`;
    const badRole = disco(["users", "create", "--email", email, "--role", "owner"]);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('Unknown role "owner": expected one of annotator, researcher, lead, admin');

    const badEmail = disco(["users", "create", "--email", "nope", "--role", "admin", "--password", "password123", "--json"]);
    expect(badEmail.code).toBe(2);
    expect(JSON.parse(badEmail.stderr).error).toContain("must be a valid email address");

    const missing = disco(["users", "create", "--role", "admin"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--email <email>' not specified");

    const unknown = disco(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect(await getDb().user.findUnique({ where: { email } })).toBeNull();
  });

  it("migrates (nothing pending on the test database) and reports status", () => {
    const migrate = disco(["db", "migrate", "--json"]);
    expect(migrate.code).toBe(0);
    expect(JSON.parse(migrate.stdout)).toEqual({ applied: [] });
    const status = disco(["db", "status", "--json"]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).pending).toEqual([]);
  });

  it("reports health as JSON: database and migrations up, CodeQL absent rather than failing", () => {
    const health = disco(["health", "--json"]);
    expect(health.code).toBe(0);
    const report = JSON.parse(health.stdout);
    expect(report.database.available).toBe(true);
    expect(report.migrations.current).toBe(true);
    expect(report.analyzers.codeql.available).toBe(false);
    expect(report.trainer.backends.map((backend: { name: string }) => backend.name)).toEqual(["tensorflow-gpu", "tensorflow", "wasm", "cpu"]);
    const wasm = report.trainer.backends.find((backend: { name: string }) => backend.name === "wasm");
    expect(wasm.available).toBe(true);
    expect(report.trainer.best).toBe(report.trainer.backends.find((backend: { available: boolean }) => backend.available).name);
  });

  it("prints masks whose spans cover exactly the changed code, equal to the library's", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "disco-cli-masks-"));
    const insecure = "import subprocess\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n";
    const secure = "import subprocess\nimport shlex\n\ndef run(cmd):\n    return subprocess.call(shlex.split(cmd))\n";
    fs.writeFileSync(path.join(dir, "a.py"), insecure);
    fs.writeFileSync(path.join(dir, "b.py"), secure);
    const result = disco(["masks", "--insecure", path.join(dir, "a.py"), "--secure", path.join(dir, "b.py"), "--json"]);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout);
    const expected = computePairMasks(await loadTokenizer("cl100k_base"), insecure, secure);
    expect(printed.insecure.mask).toEqual(Array.from(expected.insecure.mask));
    expect(printed.secure.charSpans).toEqual(expected.secure.charSpans);
    const maskedInsecure = printed.insecure.charSpans.map(([start, end]: [number, number]) => insecure.slice(start, end)).join("");
    expect(maskedInsecure).toContain("shell=True");
    expect(disco(["masks", "--insecure", path.join(dir, "missing.py"), "--secure", path.join(dir, "b.py")]).code).toBe(2);
    expect(disco(["masks", "--insecure", path.join(dir, "a.py"), "--secure", path.join(dir, "b.py"), "--tokenizer", "nope"]).stderr).toContain('unknown tokenizer "nope"');
    fs.rmSync(dir, { recursive: true });
  });

  it.skipIf(spawnSync("bandit", ["--version"]).status !== 0)("analyzes a folder: Bandit findings with CWEs, parse errors named", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "disco-cli-analyze-"));
    fs.writeFileSync(path.join(dir, "shell.py"), "import subprocess\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n");
    fs.writeFileSync(path.join(dir, "broken.py"), "def broken(:\n    pass\n");
    const result = disco(["analyze", dir, "--json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    const shell = report.files.find((file: { file: string }) => file.file.endsWith("shell.py"));
    expect(shell.findings.find((finding: { ruleId: string }) => finding.ruleId === "B602")).toMatchObject({ cwe: "CWE-78", startLine: 4, severity: "high" });
    const broken = report.files.find((file: { file: string }) => file.file.endsWith("broken.py"));
    expect(broken).toMatchObject({ parses: false, syntaxError: { line: 1 } });
    fs.rmSync(dir, { recursive: true });
  });
});
