// safetensors: round trip, a file from an independent writer (Python's struct + json), f16/bf16 decoding against
// hand-computed values, and clear errors for malformed files.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bf16ToF32, f16ToF32, f32ToBf16, f32ToF16, parseSafetensors, readCheckpointTensors, readSafetensors, serializeSafetensors, writeSafetensors } from "./safetensors";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "disco-st-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function hasPython(): boolean {
  try {
    execFileSync("python3", ["-c", "import struct, json"]);
    return true;
  } catch {
    return false;
  }
}

function fileWithHeader(header: unknown, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(typeof header === "string" ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe("conversions", () => {
  it("decodes f16 bit patterns to hand-computed values", () => {
    expect(f16ToF32(0x3c00)).toBe(1);
    expect(f16ToF32(0xc000)).toBe(-2);
    expect(f16ToF32(0x3555)).toBeCloseTo(0.333251953125, 12); // 1 + 341/1024, times 2^-2
    expect(f16ToF32(0x7bff)).toBe(65504); // largest finite
    expect(f16ToF32(0x0001)).toBe(2 ** -24); // smallest subnormal
    expect(f16ToF32(0x0400)).toBe(2 ** -14); // smallest normal
    expect(f16ToF32(0x7c00)).toBe(Infinity);
    expect(f16ToF32(0xfc00)).toBe(-Infinity);
    expect(f16ToF32(0x7e00)).toBeNaN();
    expect(Object.is(f16ToF32(0x8000), -0)).toBe(true);
  });

  it("decodes bf16 as the top half of a float32", () => {
    expect(bf16ToF32(0x3f80)).toBe(1);
    expect(bf16ToF32(0xc040)).toBe(-3);
    expect(bf16ToF32(0x3eaa)).toBe(0.33203125); // 0x3eaa0000
    expect(bf16ToF32(0x4049)).toBe(3.140625); // pi truncated to 8 mantissa bits
    expect(bf16ToF32(0x7f80)).toBe(Infinity);
  });

  it("encodes with round-to-nearest-even and survives a round trip", () => {
    expect(f32ToBf16(1)).toBe(0x3f80);
    expect(f32ToBf16(Math.PI)).toBe(0x4049); // 3.14159 -> 3.140625 is nearer than 3.15625
    expect(f32ToF16(1)).toBe(0x3c00);
    expect(f32ToF16(65504)).toBe(0x7bff);
    expect(f32ToF16(1e6)).toBe(0x7c00);
    expect(f32ToF16(2 ** -24)).toBe(0x0001);
    expect(f32ToF16(1 + 2 ** -11)).toBe(0x3c00); // exactly halfway: ties to even mantissa 0
    expect(f32ToF16(1 + 3 * 2 ** -11)).toBe(0x3c02); // halfway between 1+1/1024 and 1+2/1024: even is 2
    for (let bits = 0; bits < 0x7c00; bits += 37) expect(f32ToF16(f16ToF32(bits))).toBe(bits);
  });
});

describe("read and write", () => {
  it("round-trips f32, f16, bf16 and i32 tensors with the pt metadata", () => {
    const file = path.join(root, "rt.safetensors");
    const a = Float32Array.from([0.5, -1.25, 3, 1e-3, 7, -0]);
    writeSafetensors(file, {
      "b.weight": { shape: [2, 3], data: a },
      "a.half": { shape: [3], data: Float32Array.from([1, -2, 0.5]), dtype: "F16" },
      "c.bf": { shape: [2], data: Float32Array.from([1, -3]), dtype: "BF16" },
      "d.ids": { shape: [2], data: Int32Array.from([7, -9]) },
    });
    const bytes = fs.readFileSync(file);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    expect((8 + headerLength) % 8).toBe(0);
    const { tensors, metadata } = readSafetensors(file);
    expect(metadata).toEqual({ format: "pt" });
    expect(Array.from(tensors.get("b.weight")?.data ?? [])).toEqual(Array.from(a));
    expect(tensors.get("b.weight")?.shape).toEqual([2, 3]);
    expect(tensors.get("a.half")).toMatchObject({ dtype: "F16", shape: [3] });
    expect(Array.from(tensors.get("a.half")?.data ?? [])).toEqual([1, -2, 0.5]);
    expect(Array.from(tensors.get("c.bf")?.data ?? [])).toEqual([1, -3]);
    expect(tensors.get("d.ids")?.data).toBeInstanceOf(Int32Array);
    expect(Array.from(tensors.get("d.ids")?.data ?? [])).toEqual([7, -9]);
  });

  it.skipIf(!hasPython())("reads a file written by Python's struct and json identically", () => {
    const file = path.join(root, "py.safetensors");
    const script = `
import json, struct, sys
f32 = [0.1, -2.5, 3.75, 1e-7, 123456.0, -0.0]
f16 = [0x3c00, 0xc000, 0x3555, 0x7bff, 0x0001, 0x8000]
bf16 = [0x3f80, 0xc040, 0x3eaa, 0x4049]
i64 = [5, -3, 2147483647]
blobs = [
  ("w", "F32", [2, 3], struct.pack("<6f", *f32)),
  ("h", "F16", [6], struct.pack("<6H", *f16)),
  ("b", "BF16", [2, 2], struct.pack("<4H", *bf16)),
  ("i", "I64", [3], struct.pack("<3q", *i64)),
  ("d", "F64", [2], struct.pack("<2d", 0.25, -1.5)),
]
header, data, off = {"__metadata__": {"format": "pt"}}, b"", 0
for name, dt, shape, raw in blobs:
    header[name] = {"dtype": dt, "shape": shape, "data_offsets": [off, off + len(raw)]}
    off += len(raw); data += raw
h = json.dumps(header).encode()
open(sys.argv[1], "wb").write(struct.pack("<Q", len(h)) + h + data)
`;
    execFileSync("python3", ["-c", script, file]);
    const { tensors, metadata } = readSafetensors(file);
    expect(metadata).toEqual({ format: "pt" });
    expect(Array.from(tensors.get("w")?.data ?? [])).toEqual(Array.from(Float32Array.from([0.1, -2.5, 3.75, 1e-7, 123456.0, -0])));
    expect(tensors.get("w")?.shape).toEqual([2, 3]);
    expect(Array.from(tensors.get("h")?.data ?? [])).toEqual([1, -2, 0.333251953125, 65504, 2 ** -24, -0]);
    expect(Array.from(tensors.get("b")?.data ?? [])).toEqual([1, -3, 0.33203125, 3.140625]);
    expect(Array.from(tensors.get("i")?.data ?? [])).toEqual([5, -3, 2147483647]);
    expect(Array.from(tensors.get("d")?.data ?? [])).toEqual([0.25, -1.5]);
  });

  it.skipIf(!hasPython())("writes a file Python's struct and json read back identically", () => {
    const file = path.join(root, "for-py.safetensors");
    writeSafetensors(file, { x: { shape: [3], data: Float32Array.from([1.5, -2, 0.125]) }, y: { shape: [1], data: Float32Array.from([9]), dtype: "BF16" } });
    const script = `
import json, struct, sys
raw = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n]); base = 8 + n
x = header["x"]; a, b = x["data_offsets"]
y = header["y"]; c, d = y["data_offsets"]
print(json.dumps({"meta": header["__metadata__"], "x": list(struct.unpack("<3f", raw[base + a:base + b])), "y": struct.unpack("<H", raw[base + c:base + d])[0]}))
`;
    const out = JSON.parse(execFileSync("python3", ["-c", script, file]).toString());
    expect(out).toEqual({ meta: { format: "pt" }, x: [1.5, -2, 0.125], y: 0x4110 });
  });

  it("gives clear errors for malformed files", () => {
    expect(() => parseSafetensors(new Uint8Array(4), "tiny")).toThrow(/tiny: too short/);
    const long = new Uint8Array(16);
    new DataView(long.buffer).setBigUint64(0, 1000n, true);
    expect(() => parseSafetensors(long, "f")).toThrow(/header length 1000 runs past the end/);
    expect(() => parseSafetensors(fileWithHeader("{not json"), "f")).toThrow(/header is not valid JSON/);
    expect(() => parseSafetensors(fileWithHeader([1, 2]), "f")).toThrow(/not a JSON object/);
    expect(() => parseSafetensors(fileWithHeader({ w: { dtype: "F32", shape: [2], data_offsets: [0, 8] } }, new Uint8Array(4)), "f")).toThrow(
      /tensor "w" has data_offsets \[0, 8\] outside the 4-byte data section/,
    );
    expect(() => parseSafetensors(fileWithHeader({ w: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)), "f")).toThrow(/holds 8 bytes but F32 \[3\] needs 12/);
    expect(() => parseSafetensors(fileWithHeader({ w: { dtype: "Q4", shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)), "f")).toThrow(/tensor "w" has a bad header entry \(dtype/);
    const bigInt = new Uint8Array(8);
    new DataView(bigInt.buffer).setBigInt64(0, 2n ** 40n, true);
    expect(() => parseSafetensors(fileWithHeader({ i: { dtype: "I64", shape: [1], data_offsets: [0, 8] } }, bigInt), "f")).toThrow(/does not fit in int32/);
  });

  it("reads sharded checkpoints and names a missing shard", () => {
    const dir = path.join(root, "shards");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "s1.safetensors"), serializeSafetensors({ a: { shape: [1], data: Float32Array.from([1]) } }));
    fs.writeFileSync(path.join(dir, "s2.safetensors"), serializeSafetensors({ b: { shape: [1], data: Float32Array.from([2]) } }));
    fs.writeFileSync(path.join(dir, "model.safetensors.index.json"), JSON.stringify({ weight_map: { a: "s1.safetensors", b: "s2.safetensors" } }));
    const all = readCheckpointTensors(dir);
    expect([...all.keys()].sort()).toEqual(["a", "b"]);
    fs.writeFileSync(path.join(dir, "model.safetensors.index.json"), JSON.stringify({ weight_map: { a: "s1.safetensors", c: "s3.safetensors" } }));
    expect(() => readCheckpointTensors(dir)).toThrow(/shard "s3.safetensors" is missing/);
  });
});
