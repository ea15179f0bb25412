// Encryption at rest for secrets such as LLM API keys (llm_providers.apiKeyEncrypted): AES-256-GCM, so a stolen database
// dump does not reveal keys and a tampered value fails to decrypt instead of decrypting to garbage.
//
// The 32-byte key comes from DISCO_SECRET_KEY (base64 or hex) when set - the choice for deployments that keep secrets
// outside the data directory - else from <data dir>/secret.key, created once with mode 0600 (the data dir is
// DISCO_DATA_DIR or .data, as for the embedded database). Losing that file makes stored keys unreadable (they must be
// entered again); nothing else depends on it.
//
// Stored layout (bytes): version (1) | key id (4: first bytes of SHA-256 of the key) | IV (12) | tag (16) | ciphertext.
// The key id lets decryption say "the secret key changed" rather than a bare authentication failure.
// Decrypt only on the server (API routes, worker); never send decrypted values to the browser or to a log.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDir } from "../db/resolve-database";

const VERSION = 1;
const AAD = Buffer.from("disco-studio:secret:v1");
const HEADER = 1 + 4 + 12 + 16;

export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretKeyError";
  }
}

/** Parses a 32-byte key written as 64 hex characters or as base64. */
export function parseSecretKey(text: string, source: string): Buffer {
  const t = text.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(t)) key = Buffer.from(t, "hex");
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) key = Buffer.from(t, t.includes("-") || t.includes("_") ? "base64url" : "base64");
  if (!key || key.length !== 32) {
    throw new SecretKeyError(`${source} must be 32 bytes written as 64 hex characters or as base64 (got ${key ? `${key.length} bytes` : "neither"})`);
  }
  return key;
}

export function secretKeyFile(dir = dataDir()): string {
  return path.join(dir, "secret.key");
}

/** Reads the key file, creating it (mode 0600) with a random key if absent. Safe against two processes racing. */
function keyFromFile(file: string): Buffer {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString("base64") + "\n", { mode: 0o600, flag: "wx" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  return parseSecretKey(fs.readFileSync(file, "utf8"), file);
}

let cached: { source: string; key: Buffer } | null = null;

/** The key for this process: DISCO_SECRET_KEY, else the key file under the data dir. */
export function loadSecretKey(options: { env?: Record<string, string | undefined>; dataDir?: string } = {}): Buffer {
  const env = options.env ?? process.env;
  const fromEnv = env.DISCO_SECRET_KEY;
  const source = fromEnv ? "env:DISCO_SECRET_KEY" : secretKeyFile(options.dataDir);
  if (cached && cached.source === source && !options.env) return cached.key;
  const key = fromEnv ? parseSecretKey(fromEnv, "DISCO_SECRET_KEY") : keyFromFile(source);
  if (!options.env) cached = { source, key };
  return key;
}

function keyId(key: Buffer): Buffer {
  return crypto.createHash("sha256").update(key).digest().subarray(0, 4);
}

export function encryptSecret(plain: string, key: Buffer = loadSecretKey()): Uint8Array<ArrayBuffer> {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(AAD);
  const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const out = Buffer.concat([Buffer.from([VERSION]), keyId(key), iv, cipher.getAuthTag(), ciphertext]);
  // A plain Uint8Array (not a Buffer view into a shared pool) is what Prisma's Bytes expects.
  return new Uint8Array(out);
}

export function decryptSecret(stored: Uint8Array, key: Buffer = loadSecretKey()): string {
  const buf = Buffer.from(stored);
  if (buf.length < HEADER || buf[0] !== VERSION) throw new SecretKeyError("stored secret is not in a known format");
  if (!buf.subarray(1, 5).equals(keyId(key))) {
    throw new SecretKeyError("stored secret was encrypted with a different secret key (DISCO_SECRET_KEY or the data dir's secret.key changed); enter it again");
  }
  const iv = buf.subarray(5, 17);
  const tag = buf.subarray(17, 33);
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, iv);
  decipher.setAAD(AAD);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(buf.subarray(HEADER)), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretKeyError("stored secret failed its integrity check (tampered or corrupted); enter it again");
  }
}

/** A hint that identifies a key without revealing it: "sk-…abcd" (short keys show only their length). */
export function maskSecret(secret: string): string {
  if (secret.length < 12) return `(${secret.length} characters)`;
  return `${secret.slice(0, 3)}…${secret.slice(-4)}`;
}
