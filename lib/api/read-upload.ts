// Reads a browser file upload (multipart/form-data with a `file` field) for the import routes, refusing what no
// import can use with a 4xx that names the problem: a body that is not a form, no file, an empty file, or one over
// the size limit (checked on Content-Length first, so an oversized upload is refused before it is read).
import { HttpError } from "./route";

export type TUpload = { file: File; form: FormData };

export async function readUpload(request: Request, options: { maxBytes: number; cliHint: string }): Promise<TUpload> {
  const limit = `at most ${options.maxBytes / 1024 / 1024} MiB`;
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > options.maxBytes) throw new HttpError(413, `file too large: ${limit} (use \`${options.cliHint}\` for bigger files)`);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new HttpError(400, "invalid body: expected multipart/form-data with a file field");
  }
  const file = form.get("file");
  if (!(file instanceof File)) throw new HttpError(400, "file is required");
  if (file.size === 0) throw new HttpError(400, `${file.name || "the file"} is empty`);
  if (file.size > options.maxBytes) throw new HttpError(413, `file too large: ${limit}`);
  return { file, form };
}
