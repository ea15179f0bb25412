// The project's root folder, found by walking up from the working directory to our package.json. Bundled server
// code (Next.js) has no trustworthy import.meta.dirname, so every module that reads project files asks here.
import fs from "node:fs";
import path from "node:path";

const PACKAGE_NAME = "disco-studio";
let cached: string | null = null;

export function projectRoot(): string {
  if (cached) return cached;
  if (process.env.DISCO_PROJECT_ROOT) return (cached = path.resolve(process.env.DISCO_PROJECT_ROOT));
  let dir = process.cwd();
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      try {
        if ((JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name === PACKAGE_NAME) return (cached = dir);
      } catch {
        // an unreadable package.json is not ours; keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Run DiSCo Studio from inside its project folder (no package.json named "${PACKAGE_NAME}" above ${process.cwd()}), or set DISCO_PROJECT_ROOT.`);
    dir = parent;
  }
}
