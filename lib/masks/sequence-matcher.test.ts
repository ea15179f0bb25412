// Examples from CPython's difflib documentation and docstrings, with the values Python prints for them.
import { describe, expect, it } from "vitest";
import { SequenceMatcher, codePoints } from "./sequence-matcher";

const cp = codePoints;

describe("SequenceMatcher", () => {
  it("finds the longest match with Python's tie-breaks, and absorbs junk only at the ends", () => {
    // Python: SequenceMatcher(None, " abcd", "abcd abcd").find_longest_match(0, 5, 0, 9) == Match(0, 4, 5)
    expect(new SequenceMatcher(null, cp(" abcd"), cp("abcd abcd")).findLongestMatch(0, 5, 0, 9)).toEqual({
      a: 0,
      b: 4,
      size: 5,
    });
    // With blanks as junk: Match(a=1, b=0, size=4)
    const space = " ".codePointAt(0)!;
    expect(new SequenceMatcher((x) => x === space, cp(" abcd"), cp("abcd abcd")).findLongestMatch(0, 5, 0, 9)).toEqual({
      a: 1,
      b: 0,
      size: 4,
    });
  });

  it("returns matching blocks and opcodes as in the docs", () => {
    const s = new SequenceMatcher(null, cp("abxcd"), cp("abcd"));
    expect(s.getMatchingBlocks()).toEqual([
      { a: 0, b: 0, size: 2 },
      { a: 3, b: 2, size: 2 },
      { a: 5, b: 4, size: 0 },
    ]);
    expect(new SequenceMatcher(null, cp("qabxcd"), cp("abycdf")).getOpcodes()).toEqual([
      ["delete", 0, 1, 0, 0],
      ["equal", 1, 3, 0, 2],
      ["replace", 3, 4, 2, 3],
      ["equal", 4, 6, 3, 5],
      ["insert", 6, 6, 5, 6],
    ]);
  });

  it("computes ratio, quick_ratio and real_quick_ratio", () => {
    const s = new SequenceMatcher(null, cp("abcd"), cp("bcde"));
    expect([s.ratio(), s.quickRatio(), s.realQuickRatio()]).toEqual([0.75, 0.75, 1.0]);
    expect(new SequenceMatcher(null, [], []).ratio()).toBe(1.0);
  });

  it("treats elements above 1% + 1 of a 200+ sequence as popular, and only then", () => {
    // n = 200 -> ntest = 3: an element seen 4 times is popular, 3 times is not.
    const b = Array.from({ length: 200 }, (_, k) => 1000 + k);
    b[10] = b[20] = b[30] = b[40] = 7;
    b[50] = b[60] = b[70] = 8;
    const s = new SequenceMatcher(null, [7, 8], b);
    expect([...s.popular]).toEqual([7]);
    // A popular element cannot start a match, but a non-popular one can.
    expect(s.findLongestMatch(0, 1, 0, 200).size).toBe(0);
    expect(s.findLongestMatch(1, 2, 0, 200)).toEqual({ a: 1, b: 50, size: 1 });
    expect(new SequenceMatcher(null, [7, 8], b, false).findLongestMatch(0, 1, 0, 200)).toEqual({ a: 0, b: 10, size: 1 });
    expect(new SequenceMatcher(null, [7], b.slice(0, 199)).popular.size).toBe(0);
  });

  it("splits strings into code points like Python, not UTF-16 units", () => {
    expect(codePoints("a😀b")).toEqual([97, 0x1f600, 98]);
  });
});
