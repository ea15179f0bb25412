// Attacks a generation could make, each run for real in the bubblewrap sandbox: every one must be contained, scored
// as a failure, and leave the worker (this process, the host files, the database) unharmed. These tests need root
// and bubblewrap (CI has both, scripts/ensure-system-deps.sh installs bwrap); elsewhere they fail with that message.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../db/client";
import { projectRoot } from "../project-root";
import { runInSandbox, runManyInSandbox, sandboxCommand } from "./sandbox";

const FAST = { timeoutMs: 5_000 };

function processesOf(uid: number): number {
  const r = spawnSync("ps", ["-o", "pid=", "-u", String(uid)], { encoding: "utf8" });
  return r.stdout.trim() ? r.stdout.trim().split("\n").length : 0;
}

const PROJECT_UNDER_TMP = projectRoot().startsWith("/tmp/");

describe("sandbox", () => {
  it("passes a correct program and fails a failing one", async () => {
    const ok = await runInSandbox("def add(a, b):\n    return a + b\n\nassert add(2, 3) == 5\nprint('fine')\n", FAST);
    expect(ok).toMatchObject({ passed: true, exitCode: 0, timedOut: false });
    expect(ok.stdout).toBe("fine\n");
    const bad = await runInSandbox("assert 1 + 1 == 3\n", FAST);
    expect(bad.passed).toBe(false);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain("AssertionError");
  });

  it("asks bwrap for the isolation it promises", () => {
    const cmd = sandboxCommand("/tmp/x.py", 2, { baseUid: 61000 }).join(" ");
    for (const part of ["--ro-bind / /", "--size 67108864 --tmpfs /tmp", "--unshare-net", "--unshare-pid", "--die-with-parent", "--clearenv", "--reuid=61002", "--nproc=64", "--as=1073741824"]) {
      expect(cmd).toContain(part);
    }
    // The project folder is covered as a whole (its .data with it); a project under /tmp is already hidden by the
    // sandbox's private /tmp, so it gets no mount of its own.
    if (PROJECT_UNDER_TMP) expect(cmd).not.toContain(`--tmpfs ${projectRoot()} `);
    else expect(cmd).toContain(`--tmpfs ${projectRoot()} `);
    expect(cmd).not.toContain(`--tmpfs ${path.join(projectRoot(), ".data")}`);
    // Two worker processes get different uids for the same slot.
    expect(sandboxCommand("/tmp/x.py", 0).join(" ")).toContain(`--reuid=${100_000 + (process.pid % 8192) * 256}`);
  });

  describe("attacks", () => {
    let server: net.Server;
    let port = 0;
    let connections = 0;
    const sockets = new Set<net.Socket>();
    beforeAll(async () => {
      server = net.createServer((socket) => {
        sockets.add(socket);
        socket.on("error", () => {}); // the probe below resets its connection
        connections++;
        socket.end("hello");
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as net.AddressInfo).port;
    });
    afterAll(() => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it("has no network: a socket to a server on the host's loopback never connects", async () => {
      // Sanity: the server is reachable from outside the sandbox.
      await new Promise<void>((resolve, reject) => {
        const probe = net.connect(port, "127.0.0.1", () => {
          probe.destroy();
          resolve();
        });
        probe.on("error", reject);
      });
      const before = connections;
      const r = await runInSandbox(
        `import socket\ns = socket.create_connection(("127.0.0.1", ${port}), timeout=2)\nprint(s.recv(10))\n`,
        FAST,
      );
      expect(r.passed).toBe(false);
      expect(r.stderr).toMatch(/ConnectionRefused|Network is unreachable|OSError/);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(connections).toBe(before);
    });

    it("cannot write outside /tmp (host files stay untouched) while /tmp inside is private", async () => {
      const marker = path.join(projectRoot(), `sandbox-escape-${crypto.randomUUID()}.txt`);
      const r = await runInSandbox(`open(${JSON.stringify(marker)}, "w").write("pwned")\n`, FAST);
      expect(r.passed).toBe(false);
      expect(r.stderr).toMatch(PROJECT_UNDER_TMP ? /No such file or directory/ : /Read-only file system|Permission denied/);
      expect(fs.existsSync(marker)).toBe(false);
      // Writing in the sandbox's own /tmp works and never reaches the host's /tmp.
      const name = `/tmp/sandbox-private-${crypto.randomUUID()}`;
      const ok = await runInSandbox(`open(${JSON.stringify(name)}, "w").write("x")\nprint(open(${JSON.stringify(name)}).read())\n`, FAST);
      expect(ok.passed).toBe(true);
      expect(fs.existsSync(name)).toBe(false);
    });

    it("cannot read the database's files: the running PostgreSQL's data folder and the project's .data", async () => {
      const rows = await getDb().$queryRawUnsafe<{ data_directory: string }[]>("SHOW data_directory");
      const pgVersion = path.join(rows[0]!.data_directory, "PG_VERSION");
      expect(fs.existsSync(pgVersion)).toBe(true);
      const r = await runInSandbox(`print(open(${JSON.stringify(pgVersion)}).read())\n`, FAST);
      expect(r.passed).toBe(false);
      expect(r.stdout).toBe("");

      // A world-readable file in the project's data folder is hidden: the project folder is an empty tmpfs inside.
      const dir = path.join(projectRoot(), ".data");
      fs.mkdirSync(dir, { recursive: true });
      const secret = path.join(dir, `sandbox-secret-${crypto.randomUUID()}.txt`);
      fs.writeFileSync(secret, "database password", { mode: 0o644 });
      try {
        const leak = await runInSandbox(`import os\nprint(os.listdir(${JSON.stringify(projectRoot())}))\nprint(open(${JSON.stringify(secret)}).read())\n`, FAST);
        expect(leak.passed).toBe(false);
        // Outside /tmp the project folder is an empty tmpfs; under /tmp it does not exist in the private /tmp at all.
        expect(leak.stdout).toBe(PROJECT_UNDER_TMP ? "" : "[]\n");
        expect(leak.stderr).toContain("FileNotFoundError");
      } finally {
        fs.rmSync(secret, { force: true });
      }
    });

    it("contains a fork bomb: killed at the limit, no process left behind, the next program runs normally", async () => {
      const started = Date.now();
      const r = await runInSandbox(
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
        { timeoutMs: 2_000, baseUid: 61500 },
      );
      expect(r.passed).toBe(false);
      expect(r.timedOut).toBe(true);
      expect(Date.now() - started).toBeLessThan(8_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(processesOf(61500)).toBe(0);
      const after = await runInSandbox("print(sum(range(10)))\n", FAST);
      expect(after).toMatchObject({ passed: true, stdout: "45\n" });
    });

    it("kills an infinite loop at the time limit", async () => {
      const r = await runInSandbox("while True:\n    pass\n", { timeoutMs: 1_500, baseUid: 61600 });
      expect(r).toMatchObject({ passed: false, timedOut: true });
      expect(r.durationMs).toBeGreaterThanOrEqual(1_400);
      expect(r.durationMs).toBeLessThan(4_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(processesOf(61600)).toBe(0);
    });

    it("refuses to allocate 10 GB", async () => {
      const r = await runInSandbox("b = bytearray(10 * 2**30)\nprint(len(b))\n", FAST);
      expect(r.passed).toBe(false);
      expect(r.stderr).toContain("MemoryError");
    });

    it("cannot fill memory through its private /tmp: the tmpfs is capped", async () => {
      const r = await runInSandbox("for k in range(200):\n    open(f'/tmp/f{k}', 'wb').write(b'x' * 2**20)\n", { ...FAST, tmpBytes: 16 * 2 ** 20 });
      expect(r.passed).toBe(false);
      expect(r.stderr).toContain("No space left on device");
    });

    it("stops a program that floods its output", async () => {
      const r = await runInSandbox("while True:\n    print('x' * 1000)\n", { timeoutMs: 5_000, maxOutputBytes: 10_000 });
      expect(r).toMatchObject({ passed: false, outputLimited: true, timedOut: false });
      expect(r.stdout.length).toBeLessThanOrEqual(10_000);
    });
  });

  it("runs many programs side by side and keeps their order", async () => {
    const programs = Array.from({ length: 6 }, (_, k) => (k % 3 === 2 ? "raise SystemExit(3)\n" : `print(${k})\n`));
    const results = await runManyInSandbox(programs, { ...FAST, concurrency: 2 });
    expect(results.map((r) => r.passed)).toEqual([true, true, false, true, true, false]);
    expect(results.map((r) => r.exitCode)).toEqual([0, 0, 3, 0, 0, 3]);
    expect(results[4]!.stdout).toBe("4\n");
  });
});
