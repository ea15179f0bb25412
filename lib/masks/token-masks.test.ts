import { describe, expect, it } from "vitest";
import { ndiff } from "./ndiff";
import { computeTokenMasks, maskFraction, masksFromNdiffLines } from "./token-masks";

const bits = (m: Uint8Array) => Array.from(m).join("");

describe("computeTokenMasks", () => {
  it("marks deleted tokens in m- and inserted tokens in m+", () => {
    // rejected 1 2 3 4 5, chosen 1 2 9 4 5: ids 3 and 9 share no digit, so a plain '- 3' / '+ 9'.
    const m = computeTokenMasks([1, 2, 3, 4, 5], [1, 2, 9, 4, 5]);
    expect(bits(m.rejected)).toBe("00100");
    expect(bits(m.chosen)).toBe("00100");
  });

  it("fills a single unmarked token between two marked ones, on each side separately", () => {
    // rejected: 10 [20] 30 [40] 50 -> the kept 30 between two deletions is filled.
    const m = computeTokenMasks([10, 20, 30, 40, 50], [10, 30, 50]);
    expect(bits(m.rejected)).toBe("01110");
    expect(bits(m.chosen)).toBe("000");
    expect(bits(computeTokenMasks([10, 20, 30, 40, 50], [10, 30, 50], { fillSingleGaps: false }).rejected)).toBe(
      "01010",
    );
  });

  it("does not fill gaps of two tokens", () => {
    const m = computeTokenMasks([10, 20, 30, 31, 40, 50], [10, 30, 31, 50]);
    expect(bits(m.rejected)).toBe("010010");
  });

  it("does not fill before the first mark of a side", () => {
    // A mark at position 1 must not fill position 0 (no previous mark exists).
    expect(bits(computeTokenMasks([5, 6, 7], [5, 7]).rejected)).toBe("010");
  });

  it("handles empty and identical sides", () => {
    expect(computeTokenMasks([], []).rejected.length).toBe(0);
    expect(bits(computeTokenMasks([], [1, 2]).chosen)).toBe("11");
    expect(bits(computeTokenMasks([1, 2], []).rejected)).toBe("11");
    const same = computeTokenMasks([1, 2, 3], [1, 2, 3]);
    expect(bits(same.rejected) + bits(same.chosen)).toBe("000000");
  });

  it("marks both tokens of a close pair (ndiff '- ', '? ', '+ ', '? ')", () => {
    // 1234 vs 1243 have ratio 0.75, the cutoff, so ndiff pairs them and prints hint lines.
    const m = computeTokenMasks([7, 1234, 8], [7, 1243, 8]);
    expect(bits(m.rejected)).toBe("010");
    expect(bits(m.chosen)).toBe("010");
  });

  it("reads masks off rendered ndiff lines, ignoring '? ' lines", () => {
    // Python: list(difflib.ndiff(["7", "1234", "8"], ["7", "1243", "8"], linejunk=None, charjunk=None))
    const lines = ["  7", "- 1234", "?    -\n", "+ 1243", "?   +\n", "  8"];
    expect(ndiff(["7", "1234", "8"], ["7", "1243", "8"])).toEqual(lines);
    const m = masksFromNdiffLines(lines, 3, 3);
    expect(bits(m.rejected) + "|" + bits(m.chosen)).toBe("010|010");
  });

  it("rejects non-integer ids", () => {
    expect(() => computeTokenMasks([1.5], [1])).toThrow(/not an integer/);
  });

  it("gives the masked fraction without dividing by zero", () => {
    expect(maskFraction(Uint8Array.of(1, 0, 1, 0))).toBe(0.5);
    expect(maskFraction(new Uint8Array(0))).toBe(0);
  });
});
