// Which (issue) and (issue x package) combinations a distillation job sends, in which order (method.md section 2).
// The plan is a pure function of its inputs and the seed, so a job can be re-planned after a crash and get the same
// prompts (and the same idempotency keys), and the coverage preview shown before launch is exactly what will be sent.
//
// Coverage rule: CWEs are visited in seeded rounds; each round visits every selected CWE once, so no CWE repeats
// before every selected CWE has had a prompt. Within a CWE, its entries rotate; within an entry, packages rotate, so a
// combination repeats (sample > 0) only once the alternatives are used up.
import { z } from "zod";
import { cweNumber, normalizeCwe } from "../analyzers/cwe";
import { mulberry32 } from "../random";

export const ZPlanEntry = z.object({
  id: z.string().min(1),
  cweId: z.string().min(1),
  title: z.string(),
  description: z.string(),
});
export type TPlanEntry = z.infer<typeof ZPlanEntry>;

export const ZPlanPackage = z.object({ id: z.string().min(1), name: z.string().min(1) });
export type TPlanPackage = z.infer<typeof ZPlanPackage>;

export const ZPlanInput = z.object({
  entries: z.array(ZPlanEntry),
  packages: z.array(ZPlanPackage),
  n: z.number().int(),
  complexShare: z.number().min(0, "complexShare must be between 0 and 1").max(1, "complexShare must be between 0 and 1"),
  seed: z.number().int(),
});
export type TPlanInput = z.infer<typeof ZPlanInput>;

export type TPromptKind = "SIMPLE" | "COMPLEX";

export type TPlannedPrompt = {
  position: number;
  kind: TPromptKind;
  entryId: string;
  packageId: string | null;
  /** 0 for the first use of (entry, package) in this plan, 1 for the second, ... */
  sample: number;
};

export type TCoverage = {
  cwesSelected: number;
  cwesCovered: number;
  perCwe: { cweId: string; simple: number; complex: number }[];
};

export class SamplingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SamplingError";
  }
}

/** The largest plan one job may hold; far above the paper's 10k, low enough to stay a single in-memory array. */
export const MAX_PLANNED_PROMPTS = 200_000;

/** The project's seeded PRNG (mulberry32, lib/random.ts): the same seed gives the same sequence on every machine. */
export const seededRandom: (seed: number) => () => number = mulberry32;

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join(".") + ": " : ""}${i.message}`).join("; ");
}

/** The number of complex prompts in a plan of n with this share (rounded to the nearest prompt). */
export function complexCount(n: number, complexShare: number): number {
  return Math.round(n * complexShare);
}

export function planPrompts(input: TPlanInput): TPlannedPrompt[] {
  const parsed = ZPlanInput.safeParse(input);
  if (!parsed.success) throw new SamplingError(`invalid sampling input: ${formatIssues(parsed.error)}`);
  const { entries, packages, n, complexShare, seed } = parsed.data;

  if (n <= 0) throw new SamplingError(`n must be a positive number of prompts (got ${n})`);
  if (n > MAX_PLANNED_PROMPTS) throw new SamplingError(`n must be at most ${MAX_PLANNED_PROMPTS} (got ${n})`);
  if (entries.length === 0) throw new SamplingError("no knowledge-base entries selected: select at least one entry");
  const nComplex = complexCount(n, complexShare);
  if (nComplex > 0 && packages.length === 0) {
    throw new SamplingError(`complexShare ${complexShare} asks for ${nComplex} complex prompts but no packages are selected`);
  }
  assertUniqueIds(entries, "entry");
  assertUniqueIds(packages, "package");

  // Sort first so the plan depends on the set of entries/packages and the seed, not on the order a query returned them.
  const groups = new Map<string, TPlanEntry[]>();
  for (const entry of [...entries].sort(byId)) {
    let cwe: string;
    try {
      cwe = normalizeCwe(entry.cweId);
    } catch {
      throw new SamplingError(`entry ${entry.id} has an invalid CWE id ${JSON.stringify(entry.cweId)}`);
    }
    const list = groups.get(cwe) ?? [];
    list.push(entry);
    groups.set(cwe, list);
  }
  const cwes = [...groups.keys()].sort((a, b) => cweNumber(a) - cweNumber(b));
  const random = seededRandom(seed);

  // Kinds are placed at random positions so simple and complex prompts interleave instead of one block after the other.
  const kinds = shuffle<TPromptKind>(
    Array.from({ length: n }, (_, i) => (i < nComplex ? "COMPLEX" : "SIMPLE")),
    random,
  );
  // Per CWE: its entries in a seeded order and a cursor per kind, so simple and complex prompts each rotate through them.
  const rotation = new Map<string, { entries: TPlanEntry[]; simple: number; complex: number }>();
  for (const cwe of cwes) rotation.set(cwe, { entries: shuffle(groups.get(cwe)!, random), simple: 0, complex: 0 });
  const sortedPackages = [...packages].sort(byId);
  // Per entry: packages in a seeded order (made on first use) and a cursor.
  const packageRotation = new Map<string, { order: TPlanPackage[]; next: number }>();
  const uses = new Map<string, number>();

  const plan: TPlannedPrompt[] = [];
  let round: string[] = [];
  for (let position = 0; position < n; position++) {
    if (round.length === 0) round = shuffle(cwes, random).reverse(); // popped from the end
    const cwe = round.pop()!;
    const kind = kinds[position];
    const slot = rotation.get(cwe)!;
    const cursor = kind === "SIMPLE" ? slot.simple++ : slot.complex++;
    const entry = slot.entries[cursor % slot.entries.length];
    let packageId: string | null = null;
    if (kind === "COMPLEX") {
      let pr = packageRotation.get(entry.id);
      if (!pr) {
        pr = { order: shuffle(sortedPackages, random), next: 0 };
        packageRotation.set(entry.id, pr);
      }
      packageId = pr.order[pr.next++ % pr.order.length].id;
    }
    const key = `${entry.id}\u0000${packageId ?? ""}`;
    const sample = uses.get(key) ?? 0;
    uses.set(key, sample + 1);
    plan.push({ position, kind, entryId: entry.id, packageId, sample });
  }
  return plan;
}

function assertUniqueIds(items: { id: string }[], what: string) {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.id)) throw new SamplingError(`${what} ${item.id} is selected twice`);
    seen.add(item.id);
  }
}

/** Per-CWE counts of a plan, for the preview shown before anything is sent. CWEs selected but not reached show 0/0. */
export function summarizeCoverage(plan: readonly TPlannedPrompt[], entries: readonly Pick<TPlanEntry, "id" | "cweId">[]): TCoverage {
  const cweOf = new Map<string, string>();
  const perCwe = new Map<string, { cweId: string; simple: number; complex: number }>();
  for (const entry of entries) {
    const cwe = normalizeCwe(entry.cweId);
    cweOf.set(entry.id, cwe);
    if (!perCwe.has(cwe)) perCwe.set(cwe, { cweId: cwe, simple: 0, complex: 0 });
  }
  for (const p of plan) {
    const cwe = cweOf.get(p.entryId);
    if (!cwe) throw new SamplingError(`planned prompt ${p.position} uses entry ${p.entryId}, which is not among the selected entries`);
    const row = perCwe.get(cwe)!;
    if (p.kind === "SIMPLE") row.simple++;
    else row.complex++;
  }
  const rows = [...perCwe.values()].sort((a, b) => cweNumber(a.cweId) - cweNumber(b.cweId));
  return {
    cwesSelected: rows.length,
    cwesCovered: rows.filter((r) => r.simple + r.complex > 0).length,
    perCwe: rows,
  };
}

/**
 * Stable per (job, entry, package, sample): re-planning a job after a crash gives every prompt the same key, so a prompt
 * whose response is stored is never sent again. Kind is implied by the package (none = simple).
 */
export function idempotencyKeyFor(jobId: string, planned: Pick<TPlannedPrompt, "entryId" | "packageId" | "sample">): string {
  if (!jobId) throw new SamplingError("idempotencyKeyFor needs a job id");
  if (!Number.isInteger(planned.sample) || planned.sample < 0) throw new SamplingError(`invalid sample ${planned.sample}`);
  return `distill:${jobId}:${planned.entryId}:${planned.packageId ?? "none"}:${planned.sample}`;
}
