// POST /api/benchmarks/import - queue an import.benchmark job (researcher+), from either
//   - JSON { serverPath, format, name? }: a file (a folder for safecoder) inside the shared data folder, e.g.
//     "bench/securityeval/dataset.jsonl"; nothing outside that folder can be named;
//   - multipart { file, format, name? }: an uploaded file, stored under the data folder with a server-chosen name.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { HttpError, route } from "@/lib/api/route";
import { dataDir } from "@/lib/db/resolve-database";
import { BENCHMARK_FORMATS, ZBenchmarkFormat } from "@/lib/eval/job-payloads";
import { resolveSharedDataPath } from "@/lib/eval/queries";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { readUpload } from "@/lib/api/read-upload";

const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

const ZServerImport = z
  .object({
    serverPath: z.string().trim().min(1, "serverPath is required"),
    format: z.enum(BENCHMARK_FORMATS, { error: `format must be one of ${BENCHMARK_FORMATS.join(", ")}` }),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "(input)"}: ${issue.message}`).join("; ");
}

export const POST = route({ access: "evals:launch", output: z.object({ jobId: z.string(), filePath: z.string() }) }, async ({ request, db, user }) => {
  const type = request.headers.get("content-type") ?? "";
  let input: { filePath: string; format: z.infer<typeof ZBenchmarkFormat>; name?: string; label: string };
  if (type.startsWith("multipart/form-data")) {
    const { file, form } = await readUpload(request, { maxBytes: MAX_UPLOAD_BYTES, cliHint: "disco bench import" });
    const fields = z
      .object({ format: z.enum(BENCHMARK_FORMATS, { error: `format must be one of ${BENCHMARK_FORMATS.join(", ")}` }), name: z.string().trim().max(200).optional() })
      .safeParse({ format: form.get("format") ?? undefined, name: (form.get("name") as string | null) || undefined });
    if (!fields.success) throw new HttpError(400, `invalid form: ${describe(fields.error)}`);
    if (fields.data.format === "safecoder") throw new HttpError(400, "safecoder scenarios are a folder: import them with a server path");
    const extension = path.extname(file.name).toLowerCase().replace(/[^.a-z0-9]/g, "").slice(0, 10);
    const dir = path.join(dataDir(), "uploads", "benchmarks");
    fs.mkdirSync(dir, { recursive: true });
    const filePath = path.join(dir, `${crypto.randomUUID()}${extension}`);
    fs.writeFileSync(filePath, Buffer.from(await file.arrayBuffer()));
    input = { filePath, format: fields.data.format, name: fields.data.name || undefined, label: file.name };
  } else {
    let raw: unknown;
    try {
      raw = await request.json();
    } catch {
      throw new HttpError(400, "invalid body: expected JSON { serverPath, format, name? } or a multipart upload");
    }
    const parsed = ZServerImport.safeParse(raw);
    if (!parsed.success) throw new HttpError(400, `invalid body: ${describe(parsed.error)}`);
    let filePath: string;
    try {
      filePath = resolveSharedDataPath(parsed.data.serverPath);
    } catch (error) {
      throw new HttpError(400, (error as Error).message);
    }
    if (!fs.existsSync(filePath)) throw new HttpError(404, `no file at ${parsed.data.serverPath} in the shared data folder`);
    input = { filePath, format: parsed.data.format, name: parsed.data.name, label: parsed.data.serverPath };
  }
  const jobId = await enqueueJob(
    db,
    "import.benchmark",
    { filePath: input.filePath, format: input.format, ...(input.name ? { name: input.name } : {}) },
    // A bad file fails the same way every time: one retry for a transient error.
    { createdById: user.id, retry: { limit: 1, delaySeconds: 5 } },
  );
  return { jobId, filePath: input.label };
});
