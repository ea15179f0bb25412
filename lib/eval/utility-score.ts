// Utility scoring (method.md section 6): the extraction plus the benchmark's tests run in the sandbox; pass = exit code
// 0 within the time limit; pass@k per problem with the unbiased estimator, averaged over problems.
import { meanPassAtK } from "./pass-at-k";
import { runManyInSandbox, type TSandboxOptions, type TSandboxResult } from "./sandbox";

export type TUtilityItem = {
  tests: string | null;
  metadata: unknown;
};

/**
 * The program run for one generation: the prompt's imports (a model that rewrote the function may drop them), the
 * generated code, then the benchmark's tests, which end by calling check(...) or with bare asserts.
 */
export function buildTestProgram(item: TUtilityItem, code: string): string {
  if (!item.tests) throw new Error("this benchmark item has no tests: utility scoring needs a utility benchmark (HumanEval, MBPP, MBXP)");
  const prelude = typeof (item.metadata as { prelude?: unknown } | null)?.prelude === "string" ? (item.metadata as { prelude: string }).prelude : "";
  return [prelude, code.replace(/\s+$/, ""), item.tests].filter((part) => part.trim() !== "").join("\n\n") + "\n";
}

export type TUtilityOutcome = Pick<TSandboxResult, "passed" | "exitCode" | "timedOut" | "durationMs"> & { detail: string | null };

/** Runs every program (null: nothing to run, a failure) in the sandbox, up to the core count at once. */
export async function runUtilityPrograms(
  programs: readonly (string | null)[],
  options: TSandboxOptions = {},
  onDone?: (done: number) => void | Promise<void>,
): Promise<TUtilityOutcome[]> {
  const runnable = programs.map((p, k) => ({ p, k })).filter((x): x is { p: string; k: number } => x.p !== null);
  const outcomes: TUtilityOutcome[] = programs.map(() => ({ passed: false, exitCode: null, timedOut: false, durationMs: 0, detail: "not run: no valid code" }));
  let done = programs.length - runnable.length;
  const results = await runManyInSandbox(
    runnable.map((x) => x.p),
    options,
    async () => {
      done++;
      await onDone?.(done);
    },
  );
  results.forEach((r, j) => {
    const tail = (r.stderr || r.stdout).slice(-2000);
    outcomes[runnable[j]!.k] = {
      passed: r.passed,
      exitCode: r.exitCode,
      timedOut: r.timedOut,
      durationMs: Math.round(r.durationMs),
      detail: r.timedOut ? "timed out" : r.outputLimited ? "output limit exceeded" : tail || null,
    };
  });
  return outcomes;
}

/** pass@1 and pass@5 over problems from per-sample outcomes grouped by problem. */
export function aggregateUtility(byItem: ReadonlyMap<string, readonly boolean[]>): { "pass@1": number | null; "pass@5": number | null; passed: number; samples: number } {
  const counts = [...byItem.values()].map((outcomes) => ({ n: outcomes.length, c: outcomes.filter(Boolean).length }));
  return {
    "pass@1": meanPassAtK(counts, 1),
    "pass@5": meanPassAtK(counts, 5),
    passed: counts.reduce((s, x) => s + x.c, 0),
    samples: counts.reduce((s, x) => s + x.n, 0),
  };
}
