// The safetensors format in plain TypeScript (no TensorFlow here): an 8-byte little-endian header length, a JSON
// header { name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: {...} } and the raw little-endian
// buffers, offsets relative to the end of the header. Floats of any width come back as float32 (what the trainer
// computes in); integer tensors as int32. Sharded checkpoints list their files in model.safetensors.index.json.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

export const SAFETENSORS_DTYPES = ["F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL"] as const;
export type TSafetensorsDtype = (typeof SAFETENSORS_DTYPES)[number];
const BYTES: Record<TSafetensorsDtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

/** One tensor as read: floats widened to float32, integers to int32. `dtype` is what the file stored. */
export type TNamedArray = { dtype: TSafetensorsDtype; shape: number[]; data: Float32Array | Int32Array };

const ZTensorEntry = z.object({
  dtype: z.enum(SAFETENSORS_DTYPES),
  shape: z.array(z.number().int().nonnegative()),
  data_offsets: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
});

// The header's hard limit in the reference implementation (100 MB); anything longer is a corrupt length field.
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

/** bf16 is the top half of a float32: shift it back into place. */
export function bf16ToF32(bits: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, (bits & 0xffff) << 16, true);
  return view.getFloat32(0, true);
}

/** IEEE half precision: 1 sign, 5 exponent (bias 15), 10 mantissa bits; subnormals, infinities and NaN included. */
export function f16ToF32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** float32 -> bf16 bits, rounding to nearest even (as torch does). */
export function f32ToBf16(value: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value, true);
  const bits = view.getUint32(0, true);
  if (Number.isNaN(value)) return 0x7fc0;
  const rounded = bits + 0x7fff + ((bits >> 16) & 1);
  return (rounded >>> 16) & 0xffff;
}

/** float32 -> f16 bits, rounding to nearest even; overflow becomes infinity, underflow a subnormal or zero. */
export function f32ToF16(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const a = Math.abs(value);
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -24 / 2) return sign; // rounds to zero
  let exponent = Math.floor(Math.log2(a));
  if (2 ** exponent > a) exponent -= 1; // guard log2 rounding
  if (exponent < -14) {
    // subnormal: mantissa counts units of 2^-24
    const m = roundHalfEven(a / 2 ** -24);
    return sign | m; // m == 1024 carries into the smallest normal, which the bit pattern handles
  }
  let m = roundHalfEven((a / 2 ** exponent - 1) * 1024);
  if (m === 1024) {
    m = 0;
    exponent += 1;
  }
  if (exponent > 15) return sign | 0x7c00;
  return sign | ((exponent + 15) << 10) | m;
}

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

function decodeTensor(name: string, dtype: TSafetensorsDtype, shape: number[], bytes: Uint8Array): TNamedArray {
  const count = shape.reduce((p, d) => p * d, 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case "F32": {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      return { dtype, shape, data: out };
    }
    case "F64": {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
      return { dtype, shape, data: out };
    }
    case "F16":
    case "BF16": {
      // A lookup table over all 65,536 bit patterns turns each element into one array read.
      const table = dtype === "F16" ? F16_TABLE() : BF16_TABLE();
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = table[view.getUint16(i * 2, true)];
      return { dtype, shape, data: out };
    }
    case "I64": {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = view.getBigInt64(i * 8, true);
        if (v > 2147483647n || v < -2147483648n) throw new Error(`tensor "${name}": int64 value ${v} does not fit in int32`);
        out[i] = Number(v);
      }
      return { dtype, shape, data: out };
    }
    case "I32": {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true);
      return { dtype, shape, data: out };
    }
    case "I16": {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true);
      return { dtype, shape, data: out };
    }
    case "I8": {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i);
      return { dtype, shape, data: out };
    }
    case "U8":
    case "BOOL": {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i);
      return { dtype, shape, data: out };
    }
  }
}

let f16Table: Float32Array | null = null;
let bf16Table: Float32Array | null = null;
function F16_TABLE(): Float32Array {
  if (!f16Table) {
    f16Table = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) f16Table[i] = f16ToF32(i);
  }
  return f16Table;
}
function BF16_TABLE(): Float32Array {
  if (!bf16Table) {
    bf16Table = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) bf16Table[i] = bf16ToF32(i);
  }
  return bf16Table;
}

/** Parses a whole safetensors file held in memory. `source` names it in errors. */
export function parseSafetensors(
  buffer: Uint8Array,
  source = "safetensors buffer",
): { tensors: Map<string, TNamedArray>; metadata: Record<string, string> } {
  if (buffer.byteLength < 8) throw new Error(`${source}: too short for a safetensors file (${buffer.byteLength} bytes; the header length alone is 8)`);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER_BYTES || 8 + headerLength > buffer.byteLength) {
    throw new Error(`${source}: header length ${headerLength} runs past the end of the file (${buffer.byteLength} bytes)`);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(buffer.subarray(8, 8 + headerLength)));
  } catch (err) {
    throw new Error(`${source}: the header is not valid JSON (${(err as Error).message})`);
  }
  if (!header || typeof header !== "object" || Array.isArray(header)) throw new Error(`${source}: the header is not a JSON object`);
  const dataStart = 8 + headerLength;
  const dataLength = buffer.byteLength - dataStart;
  const tensors = new Map<string, TNamedArray>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      metadata = z.record(z.string(), z.string()).parse(raw);
      continue;
    }
    const parsed = ZTensorEntry.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${source}: tensor "${name}" has a bad header entry (${issue.path.join(".") || "entry"}: ${issue.message})`);
    }
    const { dtype, shape, data_offsets: [begin, end] } = parsed.data;
    const expected = shape.reduce((p, d) => p * d, 1) * BYTES[dtype];
    if (end < begin || end > dataLength) {
      throw new Error(`${source}: tensor "${name}" has data_offsets [${begin}, ${end}] outside the ${dataLength}-byte data section`);
    }
    if (end - begin !== expected) {
      throw new Error(`${source}: tensor "${name}" holds ${end - begin} bytes but ${dtype} ${JSON.stringify(shape)} needs ${expected}`);
    }
    tensors.set(name, decodeTensor(name, dtype, shape, buffer.subarray(dataStart + begin, dataStart + end)));
  }
  return { tensors, metadata };
}

export function readSafetensors(file: string): { tensors: Map<string, TNamedArray>; metadata: Record<string, string> } {
  return parseSafetensors(new Uint8Array(fs.readFileSync(file)), file);
}

const ZShardIndex = z.object({ weight_map: z.record(z.string(), z.string()) });

/**
 * Every tensor of a checkpoint directory: model.safetensors, or the shards model.safetensors.index.json lists.
 * Throws naming the directory when neither exists.
 */
export function readCheckpointTensors(dir: string): Map<string, TNamedArray> {
  const single = path.join(dir, "model.safetensors");
  const indexFile = path.join(dir, "model.safetensors.index.json");
  if (fs.existsSync(single)) return readSafetensors(single).tensors;
  if (!fs.existsSync(indexFile)) throw new Error(`${dir}: no model.safetensors or model.safetensors.index.json (only safetensors checkpoints are supported)`);
  let index: z.infer<typeof ZShardIndex>;
  try {
    index = ZShardIndex.parse(JSON.parse(fs.readFileSync(indexFile, "utf8")));
  } catch (err) {
    throw new Error(`${indexFile}: not a valid shard index (${(err as Error).message})`);
  }
  const out = new Map<string, TNamedArray>();
  for (const shard of [...new Set(Object.values(index.weight_map))].sort()) {
    const file = path.join(dir, shard);
    if (path.relative(dir, file).startsWith("..")) throw new Error(`${indexFile}: shard "${shard}" lies outside the checkpoint directory`);
    if (!fs.existsSync(file)) throw new Error(`${indexFile}: shard "${shard}" is missing`);
    for (const [name, t] of readSafetensors(file).tensors) out.set(name, t);
  }
  for (const name of Object.keys(index.weight_map)) {
    if (!out.has(name)) throw new Error(`${indexFile}: tensor "${name}" is not in its shard ${index.weight_map[name]}`);
  }
  return out;
}

/** `dtype` picks the stored width (F32, F16, BF16 or I32); others (a tensor read from a file) store as F32 / I32. */
export type TWritableTensor = { shape: number[]; data: Float32Array | Int32Array; dtype?: TSafetensorsDtype };
const WRITABLE = new Set<TSafetensorsDtype>(["F32", "F16", "BF16", "I32"]);
const storedDtype = (t: TWritableTensor): TSafetensorsDtype =>
  t.data instanceof Int32Array ? "I32" : t.dtype && WRITABLE.has(t.dtype) && t.dtype !== "I32" ? t.dtype : "F32";

/** Serialises tensors (sorted by name, like the reference writer) with __metadata__ {"format": "pt"} by default. */
export function serializeSafetensors(tensors: Map<string, TWritableTensor> | Record<string, TWritableTensor>, metadata: Record<string, string> = { format: "pt" }): Uint8Array {
  const entries = (tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of entries) {
    const dtype = storedDtype(t);
    const count = t.shape.reduce((p, d) => p * d, 1);
    if (count !== t.data.length) throw new Error(`tensor "${name}": shape ${JSON.stringify(t.shape)} needs ${count} values, got ${t.data.length}`);
    const bytes = count * BYTES[dtype];
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data section starts 8-byte aligned, as the reference writer does.
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += " ";
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let p = 8 + headerBytes.length;
  for (const [, t] of entries) {
    const dtype = storedDtype(t);
    for (let i = 0; i < t.data.length; i++) {
      const v = t.data[i];
      if (dtype === "F32") view.setFloat32(p, v, true), (p += 4);
      else if (dtype === "I32") view.setInt32(p, v, true), (p += 4);
      else if (dtype === "F16") view.setUint16(p, f32ToF16(v), true), (p += 2);
      else view.setUint16(p, f32ToBf16(v), true), (p += 2);
    }
  }
  return out;
}

export function writeSafetensors(file: string, tensors: Map<string, TWritableTensor> | Record<string, TWritableTensor>, metadata?: Record<string, string>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Write then rename, so a reader never sees half a file.
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, serializeSafetensors(tensors, metadata));
  fs.renameSync(tmp, file);
}
