// Runs untrusted Python (a model's generation plus a benchmark's tests) inside bubblewrap, the way utility benchmarks
// are scored (method.md section 6: pass = exit code 0 within 10 s).
//
// Layers, each one closing a hole the others leave open:
// - bwrap: read-only view of the host (`--ro-bind / /`), private /tmp (a tmpfs, where the program is bound read-only),
//   fresh /proc and /dev, no network (`--unshare-net`), own pid namespace (`--unshare-pid`: when the sandbox's
//   first process dies the kernel kills everything left in it), killed with the worker (`--die-with-parent`), empty env.
// - the project folder (its .env files, the .data folder with the embedded PostgreSQL, uploads and the key that seals
//   provider secrets), DISCO_DATA_DIR and any extra hidden path get an empty tmpfs on top, so even world-readable files
//   there are out of sight; the test database under the host's /tmp is hidden by the private /tmp, itself size-capped.
// - setpriv: the program runs as an unprivileged uid with no capabilities. This matters because RLIMIT_NPROC is not
//   enforced for root, and because a non-root uid cannot read root's 0700 folders. Each concurrent slot of each
//   worker process has its own uid, since RLIMIT_NPROC counts every process of a uid machine-wide.
// - prlimit: address space (memory), processes, file size, CPU seconds, no core dumps.
// - the host side: wall-clock limit (SIGKILL to bwrap's process group; the pid namespace takes the rest with it) and
//   a cap on captured output (the sandbox is killed when it prints more).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { projectRoot } from "../project-root";

export class SandboxUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SandboxUnavailableError";
  }
}

export const ZSandboxOptions = z
  .object({
    /** Wall-clock limit per program; the paper's 10 s. */
    timeoutMs: z.number().int().min(100).max(600_000).default(10_000),
    /** Address-space limit (RLIMIT_AS) in bytes. */
    memoryBytes: z.number().int().min(64 * 2 ** 20).default(2 ** 30),
    /** Processes (and threads) the sandbox uid may have at once (RLIMIT_NPROC). */
    maxProcesses: z.number().int().min(1).max(4096).default(64),
    /** Largest file the program may write (RLIMIT_FSIZE), in bytes. */
    maxFileBytes: z.number().int().min(0).default(16 * 2 ** 20),
    /** Size of the private /tmp (a tmpfs lives in memory, so it is capped too). */
    tmpBytes: z.number().int().min(2 ** 20).default(64 * 2 ** 20),
    /** stdout and stderr kept (each); the program is killed once it writes more than this in total. */
    maxOutputBytes: z.number().int().min(1024).default(64 * 1024),
    /** Python interpreter inside the sandbox: must be executable by an unprivileged uid. */
    python: z.string().min(1).optional(),
    /** Extra host paths to hide under an empty tmpfs (folders), besides the project's data folder. */
    hidePaths: z.array(z.string()).default([]),
    /** Programs run side by side; default one per core. */
    concurrency: z.number().int().min(1).max(256).optional(),
    /**
     * First uid of the unprivileged slots (slot k runs as baseUid + k). Default: a block of 256 uids from 100000 chosen
     * by the process id, so two workers on one machine do not share a process count.
     */
    baseUid: z.number().int().min(1000).max(2 ** 31).optional(),
  })
  .strict();
export type TSandboxOptions = z.input<typeof ZSandboxOptions>;
type Resolved = z.output<typeof ZSandboxOptions>;

export type TSandboxResult = {
  /** Exit code 0 within the time limit (the pass criterion). */
  passed: boolean;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Output went over maxOutputBytes and the program was killed. */
  outputLimited: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
};

/** What the sandbox must never show: the project folder (with .env and .data) and DISCO_DATA_DIR (embedded PostgreSQL, uploads, keys). */
export function defaultHiddenPaths(): string[] {
  const paths = new Set<string>();
  try {
    paths.add(projectRoot());
    paths.add(path.join(projectRoot(), ".data"));
  } catch {
    // outside the project (a copied module): nothing of ours to hide
  }
  if (process.env.DISCO_DATA_DIR) paths.add(path.resolve(process.env.DISCO_DATA_DIR));
  return [...paths];
}

export function defaultBaseUid(): number {
  return 100_000 + (process.pid % 8192) * 256;
}

/**
 * A python3 an unprivileged uid can run: /usr/bin/python3 when present (pyenv and similar installs often live under
 * root's 0700 home), else whatever python3 resolves to.
 */
export function defaultSandboxPython(): string {
  if (fs.existsSync("/usr/bin/python3")) return "/usr/bin/python3";
  const r = spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : "python3";
}

function which(command: string): string | null {
  const r = spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

let checked: string | null = null;

/** Throws SandboxUnavailableError, naming what is missing, unless bwrap, setpriv and prlimit are usable as root. */
export function assertSandboxAvailable(): void {
  if (checked === "ok") return;
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    throw new SandboxUnavailableError(
      "the code sandbox needs root (it drops to an unprivileged uid per slot, and RLIMIT_NPROC only binds non-root uids); run the eval worker as root",
    );
  }
  const missing = [
    ["bwrap", "bubblewrap"],
    ["setpriv", "util-linux"],
    ["prlimit", "util-linux"],
  ].filter(([command]) => !which(command!));
  if (missing.length) {
    throw new SandboxUnavailableError(
      `the code sandbox needs ${missing.map(([c, p]) => `${c} (package ${p})`).join(", ")}: run scripts/ensure-system-deps.sh or apt-get install -y bubblewrap util-linux`,
    );
  }
  checked = "ok";
}

/** The bwrap command line for one program file; exported so tests can see exactly what isolation is asked for. */
export function sandboxCommand(programFile: string, slot: number, options: TSandboxOptions = {}): string[] {
  const o: Resolved = ZSandboxOptions.parse(options);
  const uid = String((o.baseUid ?? defaultBaseUid()) + slot);
  const candidates = [...defaultHiddenPaths(), ...o.hidePaths.map((p) => path.resolve(p))].filter((p) => {
    // Only existing folders outside /tmp can be covered (a tmpfs needs a directory to mount on; /tmp is private already).
    try {
      return fs.statSync(p).isDirectory() && !p.startsWith("/tmp/") && p !== "/tmp" && p !== "/";
    } catch {
      return false;
    }
  });
  // A folder inside one already covered is gone with it (and has no mount point left in the empty tmpfs).
  const hidden = [...new Set(candidates)].filter((p) => !candidates.some((q) => q !== p && p.startsWith(q + path.sep)));
  const cpuSeconds = String(Math.ceil(o.timeoutMs / 1000) + 1);
  return [
    "bwrap",
    "--ro-bind", "/", "/",
    // 1777 like a normal /tmp: the unprivileged uid must be able to write scratch files there.
    "--perms", "1777", "--size", String(o.tmpBytes), "--tmpfs", "/tmp",
    "--proc", "/proc",
    "--dev", "/dev",
    ...hidden.flatMap((p) => ["--tmpfs", p]),
    "--ro-bind", programFile, "/tmp/main.py",
    "--chdir", "/tmp",
    "--unshare-net",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--die-with-parent",
    "--new-session",
    "--clearenv",
    "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin",
    "--setenv", "HOME", "/tmp",
    "--setenv", "LANG", "C.UTF-8",
    "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
    "--setenv", "PYTHONHASHSEED", "0",
    "setpriv", `--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", "--inh-caps=-all", "--bounding-set=-all",
    "prlimit",
    `--as=${o.memoryBytes}`,
    `--nproc=${o.maxProcesses}`,
    `--fsize=${o.maxFileBytes}`,
    `--cpu=${cpuSeconds}`,
    "--core=0",
    "--",
    o.python ?? defaultSandboxPython(),
    "-I",
    "/tmp/main.py",
  ];
}

let tmpRoot: string | null = null;
function programDir(): string {
  // Program files live in one host folder readable by the sandbox uids (bwrap binds each file read-only).
  if (!tmpRoot) {
    tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "disco-sandbox-"));
    fs.chmodSync(tmpRoot, 0o755);
  }
  return tmpRoot;
}

let counter = 0;

/** Runs one Python program in the sandbox in the given slot (0-based; slots running at once must differ). */
export async function runInSandbox(code: string, options: TSandboxOptions = {}, slot = 0): Promise<TSandboxResult> {
  assertSandboxAvailable();
  const o: Resolved = ZSandboxOptions.parse(options);
  const file = path.join(programDir(), `p${process.pid}_${counter++}.py`);
  fs.writeFileSync(file, code, { mode: 0o644 });
  const [command, ...args] = sandboxCommand(file, slot, options);
  const started = performance.now();
  try {
    return await new Promise<TSandboxResult>((resolve, reject) => {
      // detached: bwrap leads its own process group, so the timeout can kill the group in one call.
      const child = spawn(command!, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let total = 0;
      let timedOut = false;
      let outputLimited = false;
      const kill = () => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // already gone
        }
      };
      const take = (into: Buffer[]) => (chunk: Buffer) => {
        const room = o.maxOutputBytes - total;
        if (room > 0) into.push(chunk.subarray(0, room));
        total += chunk.length;
        if (total > o.maxOutputBytes && !outputLimited) {
          outputLimited = true;
          kill();
        }
      };
      child.stdout.on("data", take(out));
      child.stderr.on("data", take(err));
      const timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, o.timeoutMs);
      child.on("error", (e) => {
        clearTimeout(timer);
        reject(new SandboxUnavailableError(`cannot start bwrap: ${e.message}`));
      });
      child.on("close", (exitCode, signal) => {
        clearTimeout(timer);
        const passed = exitCode === 0 && !timedOut && !outputLimited;
        resolve({
          passed,
          exitCode,
          signal,
          timedOut,
          outputLimited,
          durationMs: performance.now() - started,
          stdout: Buffer.concat(out).toString("utf8"),
          stderr: Buffer.concat(err).toString("utf8"),
        });
      });
    });
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * Runs many programs, `concurrency` at once (default: one per core), each in its own slot; results in input order.
 * `onResult` is called as each finishes (for progress reporting).
 */
export async function runManyInSandbox(
  programs: readonly string[],
  options: TSandboxOptions = {},
  onResult?: (index: number, result: TSandboxResult) => void | Promise<void>,
): Promise<TSandboxResult[]> {
  assertSandboxAvailable();
  const o = ZSandboxOptions.parse(options);
  const width = Math.max(1, Math.min(o.concurrency ?? os.availableParallelism(), programs.length));
  const results: TSandboxResult[] = new Array(programs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async (_, slot) => {
      for (;;) {
        const index = next++;
        if (index >= programs.length) return;
        results[index] = await runInSandbox(programs[index]!, options, slot);
        await onResult?.(index, results[index]!);
      }
    }),
  );
  return results;
}
