// Which checkpoint a resume picks: the highest complete step, never a folder an interrupted write left behind.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getPreset } from "../config";
import { assertResumableConfig, findLatestCheckpoint, STATE_FILE } from "./checkpoint";
import { tempDir } from "./test-support";

const root = tempDir("ckpt");
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("findLatestCheckpoint", () => {
  it("takes the highest step with a trainer state and ignores temporary and incomplete folders", () => {
    expect(findLatestCheckpoint(root)).toBeNull();
    const make = (name: string, complete: boolean) => {
      const dir = path.join(root, "checkpoints", name);
      fs.mkdirSync(dir, { recursive: true });
      if (complete) fs.writeFileSync(path.join(dir, STATE_FILE), "{}");
    };
    make("step-2", true);
    make("step-10", true);
    make("step-12", false); // killed before its state was written (cannot happen with the rename, but never trust it)
    make("step-20.tmp-999", true); // an interrupted write
    expect(findLatestCheckpoint(root)).toEqual({ step: 10, path: path.join(root, "checkpoints", "step-10") });
  });
});

describe("assertResumableConfig", () => {
  it("allows a different reporting cadence but nothing that changes what the run learns", () => {
    const saved = getPreset("lpo").config;
    expect(() => assertResumableConfig(saved, { ...saved, logEvery: 5, evalEvery: 10, checkpointEvery: 7 }, "ckpt")).not.toThrow();
    const reordered = Object.fromEntries(Object.entries(saved).reverse()) as typeof saved;
    expect(() => assertResumableConfig(saved, reordered, "ckpt")).not.toThrow();
    expect(() => assertResumableConfig(saved, { ...saved, optimizer: { ...saved.optimizer, learningRate: 1e-4 } }, "ckpt")).toThrow(/different training config/);
  });
});
