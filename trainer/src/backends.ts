// Which TensorFlow.js backends this machine can run, best first: tfjs-node-gpu (CUDA), tfjs-node (native CPU),
// wasm, cpu. Detection only resolves packages and checks their native parts exist; it never loads TensorFlow, so
// health checks stay cheap. The trainer loads the first available one at run time.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { projectRoot } from "../../lib/project-root";

export const BACKEND_PREFERENCE = ["tensorflow-gpu", "tensorflow", "wasm", "cpu"] as const;
export type TBackendName = (typeof BACKEND_PREFERENCE)[number];

export type BackendAvailability = { name: TBackendName; package: string; available: boolean; version?: string; reason?: string };

// Resolve from the trainer package itself (not import.meta.url, which bundlers rewrite), wherever the caller runs.
const requireFromTrainer = () => createRequire(path.join(projectRoot(), "trainer", "package.json"));

const PACKAGES: Record<TBackendName, string> = {
  "tensorflow-gpu": "@tensorflow/tfjs-node-gpu",
  tensorflow: "@tensorflow/tfjs-node",
  wasm: "@tensorflow/tfjs-backend-wasm",
  cpu: "@tensorflow/tfjs-backend-cpu",
};

function packageDir(name: string): string | null {
  try {
    return path.dirname(requireFromTrainer().resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

function findFile(dir: string, predicate: (file: string) => boolean, depth = 4): boolean {
  if (depth < 0 || !fs.existsSync(dir)) return false;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && predicate(entry.name)) return true;
    if (entry.isDirectory() && entry.name !== "node_modules" && findFile(full, predicate, depth - 1)) return true;
  }
  return false;
}

export function detectBackends(): BackendAvailability[] {
  return BACKEND_PREFERENCE.map((name) => {
    const pkg = PACKAGES[name];
    const dir = packageDir(pkg);
    if (!dir) return { name, package: pkg, available: false, reason: "package not installed" };
    const version = (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
    if (name === "tensorflow" || name === "tensorflow-gpu") {
      // The npm package installs without its native binding when its download step is blocked (as on offline machines).
      const hasBinding = findFile(path.join(dir, "lib"), (file) => file.endsWith(".node"));
      if (!hasBinding) return { name, package: pkg, available: false, version, reason: "native binding (libtensorflow) not installed" };
    }
    if (name === "wasm" && !findFile(path.join(dir, "dist"), (file) => file.endsWith(".wasm"), 1)) {
      return { name, package: pkg, available: false, version, reason: "tfjs-backend-wasm.wasm missing" };
    }
    return { name, package: pkg, available: true, version };
  });
}

export function bestAvailableBackend(): TBackendName {
  const found = detectBackends().find((backend) => backend.available);
  if (!found) throw new Error("No TensorFlow.js backend is installed: run `npm install` in the project root.");
  return found.name;
}
