// The web app must never bundle TensorFlow.js (it lives in the trainer workspace and only workers load it): walk the
// static imports of every page, route and component and fail when one reaches a module that imports @tensorflow.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?["']([^"']+)["']/gm;

function resolveImport(fromFile: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = path.join(root, specifier.slice(2));
  else if (specifier.startsWith(".")) base = path.resolve(path.dirname(fromFile), specifier);
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

function entryFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...entryFiles(full));
    else if (/\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** Returns the import chain from an entry to a file that imports @tensorflow, or null. */
function findTensorflowChain(entry: string, seen: Map<string, string[] | null>): string[] | null {
  if (seen.has(entry)) return seen.get(entry)!;
  seen.set(entry, null); // cycles end here
  const source = fs.readFileSync(entry, "utf8");
  for (const match of source.matchAll(STATIC_IMPORT)) {
    const specifier = match[1]!;
    if (specifier.startsWith("@tensorflow/")) {
      const chain = [path.relative(root, entry), specifier];
      seen.set(entry, chain);
      return chain;
    }
    const target = resolveImport(entry, specifier);
    if (!target) continue;
    const chain = findTensorflowChain(target, seen);
    if (chain) {
      const full = [path.relative(root, entry), ...chain];
      seen.set(entry, full);
      return full;
    }
  }
  return null;
}

describe("web bundle boundary", () => {
  it("no page, API route or component statically imports TensorFlow.js", () => {
    const seen = new Map<string, string[] | null>();
    const offenders = [...entryFiles(path.join(root, "app")), ...entryFiles(path.join(root, "components"))]
      .map((file) => findTensorflowChain(file, seen))
      .filter((chain): chain is string[] => chain !== null);
    expect(offenders.map((chain) => chain.join(" -> "))).toEqual([]);
  });

  it("the walker does find TensorFlow.js behind the trainer's entry (so the check above can fail)", () => {
    expect(findTensorflowChain(path.join(root, "trainer/src/index.ts"), new Map())).not.toBeNull();
  });
});
