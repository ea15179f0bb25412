// Runs `prisma generate` offline. The CLI insists on locating a schema-engine binary even though generating the
// client needs none; pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file satisfies it (see docs in README).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const cli = path.join(root, "node_modules/prisma/build/index.js");
if (!fs.existsSync(cli)) {
  console.log("prisma-generate: prisma CLI not installed yet; skipping");
  process.exit(0);
}
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};
const result = spawnSync(process.execPath, [cli, "generate"], { cwd: root, env, stdio: "inherit" });
process.exit(result.status ?? 1);
