// The content hash of a pair: sha256 over its content fields in a fixed order, so identical rows imported twice
// collide, and a frozen dataset version can prove which code it holds.
import crypto from "node:crypto";

export type PairContent = {
  instruction: string;
  insecureCode: string;
  secureCode: string;
  reasonInsecure?: string;
  reasonSecure?: string;
  reasoning?: string;
  cweId?: string | null;
};

export function pairContentHash(pair: PairContent): string {
  const fields = [
    pair.instruction,
    pair.insecureCode,
    pair.secureCode,
    pair.reasonInsecure ?? "",
    pair.reasonSecure ?? "",
    pair.reasoning ?? "",
    pair.cweId ?? "",
  ];
  // JSON keeps field boundaries unambiguous (no separator can appear unescaped inside a field).
  return crypto.createHash("sha256").update(JSON.stringify(fields)).digest("hex");
}
