import { describe, expect, it } from "vitest";
import { loadTokenizer } from "../tokenizers/registry";
import type { TokenOffsets } from "../tokenizers/types";
import { computePairMasks, maskToCharSpans, maskToTokenRanges } from "./mask-spans";

describe("maskToTokenRanges", () => {
  it("returns maximal runs of masked tokens", () => {
    expect(maskToTokenRanges(Uint8Array.of(0, 1, 1, 0, 1, 0, 0, 1))).toEqual([
      [1, 3],
      [4, 5],
      [7, 8],
    ]);
    expect(maskToTokenRanges(new Uint8Array(3))).toEqual([]);
  });
});

describe("maskToCharSpans", () => {
  const offsets: TokenOffsets[] = [
    [0, 3],
    [3, 5],
    [5, 5], // an empty token (e.g. an added special)
    [5, 6],
    [5, 6], // two byte-level tokens sharing one character
    [6, 9],
  ];
  it("merges runs whose spans touch or overlap and drops empty ones", () => {
    // masked: 1 (3-5), 4 (5-6, shares the char with unmasked token 3), 5 (6-9)
    expect(maskToCharSpans(Uint8Array.of(0, 1, 0, 0, 1, 1), offsets)).toEqual([[3, 9]]);
    expect(maskToCharSpans(Uint8Array.of(1, 0, 0, 0, 0, 1), offsets)).toEqual([
      [0, 3],
      [6, 9],
    ]);
    expect(maskToCharSpans(Uint8Array.of(0, 0, 1, 0, 0, 0), offsets)).toEqual([]);
  });
  it("refuses a mask that does not match the offsets", () => {
    expect(() => maskToCharSpans(Uint8Array.of(1), offsets)).toThrow(/offsets/);
  });
});

describe("computePairMasks", () => {
  it("highlights exactly the changed code on each side", async () => {
    const tok = await loadTokenizer("cl100k_base");
    const insecure = "import os\n\ndef run(cmd):\n    os.system(cmd)\n";
    const secure = "import subprocess\n\ndef run(cmd):\n    subprocess.run(cmd.split(), check=True)\n";
    const pm = computePairMasks(tok, insecure, secure);
    const text = (code: string, spans: [number, number][]) => spans.map(([s, e]) => code.slice(s, e));
    expect(pm.insecure.exactOffsets && pm.secure.exactOffsets).toBe(true);
    // Unchanged lines are never highlighted; the changed calls are.
    const hiI = text(insecure, pm.insecure.charSpans).join("|");
    const hiS = text(secure, pm.secure.charSpans).join("|");
    expect(hiI).toContain("system");
    expect(hiS).toContain("subprocess");
    expect(hiS).toContain("check=True");
    expect(hiI).not.toContain("def run");
    expect(hiS).not.toContain("def run");
    // Spans and token ranges describe the same tokens.
    const masked = pm.secure.tokenRanges.reduce((n, [a, b]) => n + b - a, 0);
    expect(masked).toBe(pm.secure.mask.reduce((n, x) => n + x, 0));
  });
});
