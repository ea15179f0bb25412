import { describe, expect, it } from "vitest";
import { InvalidCweError, cweFromCodeqlTag, cweNumber, normalizeCwe, tryNormalizeCwe } from "./cwe";

describe("normalizeCwe", () => {
  it.each([
    ["CWE-078", "CWE-78"],
    ["cwe-78", "CWE-78"],
    ["78", "CWE-78"],
    [" CWE 79 ", "CWE-79"],
    ["CWE_1333", "CWE-1333"],
    ["cwe20", "CWE-20"],
    [502, "CWE-502"],
  ])("%j -> %s", (input, expected) => {
    expect(normalizeCwe(input)).toBe(expected);
  });

  it.each(["", "CWE-", "CWE-0", "0", "-78", "CWE-7a", "CVE-2021-1", "78.5", "NVD-CWE-Other"])("rejects %j", (input) => {
    expect(() => normalizeCwe(input)).toThrow(InvalidCweError);
  });

  it("rejects non-integer numbers and returns null from the lenient variant", () => {
    expect(() => normalizeCwe(78.5)).toThrow(InvalidCweError);
    expect(() => normalizeCwe(0)).toThrow(InvalidCweError);
    expect(tryNormalizeCwe("nope")).toBeNull();
    expect(tryNormalizeCwe(undefined)).toBeNull();
    expect(tryNormalizeCwe("CWE-022")).toBe("CWE-22");
  });

  it("reads CodeQL's CWE tags and ignores other tags", () => {
    expect(cweFromCodeqlTag("external/cwe/cwe-078")).toBe("CWE-78");
    expect(cweFromCodeqlTag("security")).toBeNull();
    expect(cweNumber("CWE-0798")).toBe(798);
  });
});
