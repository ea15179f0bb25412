#!/usr/bin/env node
// `disco` / `npx disco`: runs the TypeScript CLI through tsx's loader, so there is no separate build step.
import { register } from "tsx/esm/api";

register();
await import("../cli/index.ts");
