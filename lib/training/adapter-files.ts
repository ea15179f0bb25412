// Checks a checkpoint's adapter as PEFT would load it: adapter_config.json (peft_type LORA, r, lora_alpha,
// target_modules) and adapter_model.safetensors, whose header (8-byte little-endian length, then JSON) must name
// lora_A / lora_B tensors with PEFT's names and rank-r shapes. Reads the header only, never the weights.
import fs from "node:fs";
import path from "node:path";

export type TAdapterInspection = {
  ok: boolean;
  problems: string[];
  r?: number;
  loraAlpha?: number;
  targetModules?: string[] | string;
  tensorCount?: number;
  loraPairs?: number;
  sampleTensor?: string;
};

const PEFT_NAME = /^base_model\.model\..+\.lora_[AB]\.weight$/;

function adapterDir(checkpointPath: string): string | null {
  for (const candidate of [checkpointPath, path.join(checkpointPath, "adapter")]) {
    if (fs.existsSync(path.join(candidate, "adapter_config.json"))) return candidate;
  }
  return null;
}

export function readSafetensorsHeader(file: string): Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> {
  const fd = fs.openSync(file, "r");
  try {
    const lengthBytes = Buffer.alloc(8);
    fs.readSync(fd, lengthBytes, 0, 8, 0);
    const length = Number(lengthBytes.readBigUInt64LE(0));
    if (length <= 0 || length > 100_000_000) throw new Error(`implausible safetensors header length ${length}`);
    const header = Buffer.alloc(length);
    fs.readSync(fd, header, 0, length, 8);
    const parsed = JSON.parse(header.toString("utf8")) as Record<string, unknown>;
    delete parsed.__metadata__;
    return parsed as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  } finally {
    fs.closeSync(fd);
  }
}

export function inspectAdapter(checkpointPath: string): TAdapterInspection {
  const problems: string[] = [];
  const dir = adapterDir(checkpointPath);
  if (!dir) return { ok: false, problems: [`no adapter_config.json in ${path.basename(checkpointPath)}`] };
  let config: { peft_type?: string; r?: number; lora_alpha?: number; target_modules?: string[] | string };
  try {
    config = JSON.parse(fs.readFileSync(path.join(dir, "adapter_config.json"), "utf8"));
  } catch (error) {
    return { ok: false, problems: [`adapter_config.json is not JSON: ${(error as Error).message}`] };
  }
  if (config.peft_type !== "LORA") problems.push(`peft_type is ${JSON.stringify(config.peft_type)}, expected "LORA"`);
  if (!Number.isInteger(config.r) || (config.r ?? 0) < 1) problems.push("r is missing or not a positive integer");
  if (typeof config.lora_alpha !== "number") problems.push("lora_alpha is missing");
  const weights = path.join(dir, "adapter_model.safetensors");
  if (!fs.existsSync(weights)) return { ok: false, problems: [...problems, "adapter_model.safetensors is missing"], r: config.r, loraAlpha: config.lora_alpha, targetModules: config.target_modules };
  let header: ReturnType<typeof readSafetensorsHeader>;
  try {
    header = readSafetensorsHeader(weights);
  } catch (error) {
    return { ok: false, problems: [...problems, `adapter_model.safetensors: ${(error as Error).message}`] };
  }
  const names = Object.keys(header);
  if (names.length === 0) problems.push("adapter_model.safetensors holds no tensors");
  const badNames = names.filter((name) => !PEFT_NAME.test(name));
  if (badNames.length) problems.push(`tensor names outside PEFT's layout: ${badNames.slice(0, 3).join(", ")}`);
  let pairs = 0;
  for (const name of names.filter((n) => n.endsWith(".lora_A.weight"))) {
    const b = header[name.replace(".lora_A.weight", ".lora_B.weight")];
    const a = header[name]!;
    if (!b) {
      problems.push(`${name} has no lora_B partner`);
      continue;
    }
    // PEFT: lora_A is [r, in_features], lora_B is [out_features, r].
    if (a.shape.length !== 2 || b.shape.length !== 2 || a.shape[0] !== config.r || b.shape[1] !== config.r) {
      problems.push(`${name}: shapes ${JSON.stringify(a.shape)} / ${JSON.stringify(b.shape)} do not match rank ${config.r}`);
      continue;
    }
    pairs++;
  }
  if (names.length && pairs === 0) problems.push("no complete lora_A/lora_B pair");
  return { ok: problems.length === 0, problems, r: config.r, loraAlpha: config.lora_alpha, targetModules: config.target_modules, tensorCount: names.length, loraPairs: pairs, sampleTensor: names[0] };
}
