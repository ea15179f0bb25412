// Decides whether code parses as Python 3, fast and in bulk: one long-lived python3 process runs `ast.parse` on
// requests sent as JSON lines, so thousands of generations cost one interpreter start instead of thousands.
// Evaluation counts only valid (parseable) generations (method.md section 6), so this sits on the hot path.
// The process is restarted if it dies; requests in flight at that moment are re-sent once.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import readline from "node:readline";

export type SyntaxCheckResult =
  | { ok: true }
  /** line and column are 1-based as Python reports them (column in characters); null when Python gives none. */
  | { ok: false; line: number | null; column: number | null; message: string };

export type SyntaxCheckerOptions = {
  /** Interpreter to run; default "python3". */
  python?: string;
  /**
   * Limit for the request being parsed (the oldest in flight; queued ones do not count down while they wait).
   * On expiry that request fails and the interpreter is replaced. Default 10 s.
   */
  timeoutMs?: number;
};

// Kept inline (not a .py file) so the module works wherever it is bundled or copied.
const SERVER = String.raw`
import ast, json, sys, warnings
warnings.simplefilter("ignore")
out = sys.stdout
out.write(json.dumps({"ready": True, "version": sys.version.split()[0]}) + "\n")
out.flush()
for raw in sys.stdin.buffer:
    req = json.loads(raw)
    try:
        ast.parse(req["code"])
        res = {"id": req["id"], "ok": True}
    except SyntaxError as e:
        res = {"id": req["id"], "ok": False, "line": e.lineno, "column": e.offset, "message": e.msg}
    except Exception as e:
        # Null bytes (ValueError before 3.12), deep nesting (RecursionError/MemoryError), lone surrogates...
        res = {"id": req["id"], "ok": False, "line": None, "column": None, "message": type(e).__name__ + ": " + str(e)}
    out.write(json.dumps(res) + "\n")
    out.flush()
`;

type Pending = {
  code: string;
  attempts: number;
  resolve: (r: SyntaxCheckResult) => void;
  reject: (e: Error) => void;
};

type Worker = { proc: ChildProcessWithoutNullStreams; ready: Promise<string>; dead: boolean };

export class PythonSyntaxChecker {
  private readonly python: string;
  private readonly timeoutMs: number;
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private watchdog: NodeJS.Timeout | null = null;
  private watched = -1;

  constructor(options: SyntaxCheckerOptions = {}) {
    this.python = options.python ?? "python3";
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** The interpreter's version, starting it if needed. */
  async version(): Promise<string> {
    return this.ensureWorker().ready;
  }

  check(code: string): Promise<SyntaxCheckResult> {
    if (this.closed) return Promise.reject(new Error("PythonSyntaxChecker is closed"));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { code, attempts: 0, resolve, reject });
      this.send(id);
    });
  }

  checkMany(codes: readonly string[]): Promise<SyntaxCheckResult[]> {
    return Promise.all(codes.map((c) => this.check(c)));
  }

  /** Ends the interpreter after the requests in flight; further checks are refused. */
  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    if (!w || w.dead) return;
    while (this.pending.size > 0 && !w.dead) await new Promise((r) => setTimeout(r, 5));
    if (w.dead) return;
    await new Promise<void>((resolve) => {
      w.proc.once("exit", () => resolve());
      w.proc.stdin.end();
    });
  }

  private send(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    p.attempts++;
    const w = this.ensureWorker();
    w.proc.stdin.write(JSON.stringify({ id, code: p.code }) + "\n");
    this.armWatchdog();
  }

  /**
   * Python answers in order, so the oldest pending request is the one being parsed: only it is timed.
   * Re-armed whenever the oldest request changes.
   */
  private armWatchdog(): void {
    const oldest = this.pending.keys().next();
    if (oldest.done) {
      if (this.watchdog) clearTimeout(this.watchdog);
      this.watchdog = null;
      this.watched = -1;
      return;
    }
    if (this.watched === oldest.value && this.watchdog) return;
    if (this.watchdog) clearTimeout(this.watchdog);
    const id = oldest.value;
    this.watched = id;
    this.watchdog = setTimeout(() => {
      this.watchdog = null;
      this.watched = -1;
      const p = this.pending.get(id);
      if (!p) return;
      this.pending.delete(id);
      p.reject(new Error(`python syntax check timed out after ${this.timeoutMs} ms`));
      // The interpreter may be stuck on this input: replace it (the others in flight are re-sent).
      this.worker?.proc.kill("SIGKILL");
    }, this.timeoutMs);
    this.watchdog.unref?.();
  }

  private ensureWorker(): Worker {
    if (this.worker && !this.worker.dead) return this.worker;
    const proc = spawn(this.python, ["-u", "-c", SERVER], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, PYTHONIOENCODING: "utf-8" },
    });
    let stderr = "";
    proc.stderr.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    // A write after the process died must not crash the host; the exit handler deals with the requests.
    proc.stdin.on("error", () => {});
    let onReady!: (v: string) => void;
    let onFail!: (e: Error) => void;
    const ready = new Promise<string>((res, rej) => {
      onReady = res;
      onFail = rej;
    });
    ready.catch(() => {});
    const worker: Worker = { proc, ready, dead: false };
    const lines = readline.createInterface({ input: proc.stdout });
    lines.on("line", (line) => {
      const msg = JSON.parse(line) as { ready?: boolean; version?: string; id?: number } & Record<string, unknown>;
      if (msg.ready) return onReady(msg.version ?? "");
      const p = this.pending.get(msg.id!);
      if (!p) return;
      this.pending.delete(msg.id!);
      this.armWatchdog();
      p.resolve(
        msg.ok
          ? { ok: true }
          : {
              ok: false,
              line: (msg.line as number | null) ?? null,
              column: (msg.column as number | null) ?? null,
              message: String(msg.message),
            },
      );
    });
    const onExit = (err?: Error) => {
      if (worker.dead) return;
      worker.dead = true;
      const reason = err ? err.message : stderr.trim() || "exited";
      onFail(new Error(`python3 not usable: ${reason}`));
      if (this.worker === worker) this.worker = null;
      const startFailed = err !== undefined;
      for (const [id, p] of [...this.pending]) {
        if (startFailed || p.attempts >= 2 || this.closed) {
          this.pending.delete(id);
          p.reject(new Error(`python syntax checker failed: ${reason}`));
        } else {
          this.send(id);
        }
      }
      this.armWatchdog();
    };
    proc.on("error", (e) => onExit(e));
    proc.on("exit", () => onExit());
    this.worker = worker;
    return worker;
  }
}

/** Whether a python3 interpreter is on the PATH, and its version. Never throws. */
export function detectPython(python = "python3"): { available: boolean; version?: string } {
  const r = spawnSync(python, ["--version"], { encoding: "utf8" });
  if (r.status !== 0 || r.error) return { available: false };
  return { available: true, version: (r.stdout || r.stderr).trim().replace(/^Python\s+/, "") };
}
