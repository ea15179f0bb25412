import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PythonSyntaxChecker, detectPython } from "./syntax-checker";

const py = detectPython();
if (!py.available) console.warn("[syntax-checker] skipped: python3 is not available");

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "disco-pysyntax-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!py.available)("PythonSyntaxChecker", () => {
  it("accepts valid Python 3 and reports where invalid code breaks", async () => {
    const checker = new PythonSyntaxChecker();
    try {
      expect(await checker.version()).toMatch(/^3\.\d+/);
      expect(await checker.check("import os\n\ndef f(x):\n    return os.path.join(x, 'a')\n")).toEqual({ ok: true });
      const bad = await checker.check("x = 1\nprint 'hello'\n");
      expect(bad).toMatchObject({ ok: false, line: 2 });
      if (!bad.ok) expect(bad.message).toMatch(/parentheses|invalid syntax/i);
      const unclosed = await checker.check("x = 1\ny = (\n");
      expect(unclosed).toMatchObject({ ok: false, line: 2, column: 5 });
      const nul = await checker.check("x = 1\0\n");
      expect(nul.ok).toBe(false);
      expect((await checker.check("")).ok).toBe(true);
    } finally {
      await checker.close();
    }
  });

  it("answers thousands of concurrent checks in order", async () => {
    const checker = new PythonSyntaxChecker();
    try {
      const codes = Array.from({ length: 3000 }, (_, k) =>
        k % 3 === 0 ? `def f${k}(:\n    pass\n` : `def f${k}(a, b=${k}):\n    return a * b  # ünï😀\n`,
      );
      const t0 = performance.now();
      const results = await checker.checkMany(codes);
      const ms = performance.now() - t0;
      console.info(`[syntax-checker] ${codes.length} snippets in ${ms.toFixed(0)} ms`);
      results.forEach((r, k) => expect(r.ok).toBe(k % 3 !== 0));
      expect(ms).toBeLessThan(10_000);
    } finally {
      await checker.close();
    }
  });

  it("restarts a dead interpreter and re-sends the requests it held", async () => {
    const checker = new PythonSyntaxChecker();
    try {
      await checker.version();
      const inFlight = checker.checkMany(Array.from({ length: 500 }, (_, k) => (k % 2 ? "x = (" : "x = 1")));
      (checker as unknown as { worker: { proc: { kill(s: string): void } } }).worker.proc.kill("SIGKILL");
      const results = await inFlight;
      results.forEach((r, k) => expect(r.ok).toBe(k % 2 === 0));
      expect((await checker.check("y = 2")).ok).toBe(true);
    } finally {
      await checker.close();
    }
  });

  it("times out a request the interpreter never answers, and recovers", async () => {
    // A stand-in interpreter that announces itself and then never answers.
    const fake = path.join(tmp, "silent-python");
    fs.writeFileSync(fake, `#!/bin/sh\necho '{"ready": true, "version": "fake"}'\nexec sleep 30\n`, { mode: 0o755 });
    const checker = new PythonSyntaxChecker({ python: fake, timeoutMs: 300 });
    await expect(checker.check("x = 1")).rejects.toThrow(/timed out/);
    await expect(checker.check("x = 1")).rejects.toThrow(/timed out/);
    await checker.close();
  });

  it("refuses work after close, and fails clearly when python is missing", async () => {
    const checker = new PythonSyntaxChecker();
    await checker.check("x = 1");
    await checker.close();
    await expect(checker.check("x = 1")).rejects.toThrow(/closed/);
    const missing = new PythonSyntaxChecker({ python: path.join(tmp, "no-such-python") });
    await expect(missing.check("x = 1")).rejects.toThrow(/not usable|failed/);
    expect(detectPython(path.join(tmp, "no-such-python"))).toEqual({ available: false });
  });
});
