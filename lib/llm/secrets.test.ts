import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, loadSecretKey, maskSecret, parseSecretKey, SecretKeyError } from "./secrets";

describe("secrets", () => {
  const key = crypto.randomBytes(32);

  it("round-trips, uses a fresh IV each time and does not contain the plaintext", () => {
    const a = encryptSecret("sk-live-abcdef1234567890", key);
    const b = encryptSecret("sk-live-abcdef1234567890", key);
    expect(a).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(Buffer.from(a).toString("latin1")).not.toContain("abcdef1234567890");
    expect(decryptSecret(a, key)).toBe("sk-live-abcdef1234567890");
  });

  it("refuses a different key and a tampered value with clear errors", () => {
    const enc = encryptSecret("sk-secret-value-1234", key);
    expect(() => decryptSecret(enc, crypto.randomBytes(32))).toThrow(/different secret key/);
    const tampered = Buffer.from(enc);
    tampered[tampered.length - 1] ^= 1;
    expect(() => decryptSecret(tampered, key)).toThrow(/integrity check/);
    expect(() => decryptSecret(new Uint8Array([9, 9, 9]), key)).toThrow(SecretKeyError);
  });

  it("parses hex and base64 keys, rejects wrong lengths", () => {
    expect(parseSecretKey(key.toString("hex"), "k").equals(key)).toBe(true);
    expect(parseSecretKey(key.toString("base64"), "k").equals(key)).toBe(true);
    expect(parseSecretKey(key.toString("base64url"), "k").equals(key)).toBe(true);
    expect(() => parseSecretKey("abcd", "DISCO_SECRET_KEY")).toThrow(/DISCO_SECRET_KEY must be 32 bytes/);
  });

  it("takes DISCO_SECRET_KEY from the environment, else creates the key file once with mode 0600", () => {
    expect(loadSecretKey({ env: { DISCO_SECRET_KEY: key.toString("hex") } }).equals(key)).toBe(true);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "disco-secret-"));
    try {
      const k1 = loadSecretKey({ env: {}, dataDir: dir });
      const k2 = loadSecretKey({ env: {}, dataDir: dir });
      expect(k1.equals(k2)).toBe(true);
      expect(k1.length).toBe(32);
      expect(fs.statSync(path.join(dir, "secret.key")).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("masks keys", () => {
    expect(maskSecret("sk-proj-0123456789abcd")).toBe("sk-…abcd");
    expect(maskSecret("short")).toBe("(5 characters)");
  });
});
