// PATCH /api/providers/:id - rename, change the base URL, replace (string) or remove (null) the key
// DELETE /api/providers/:id - remove it (jobs that used it keep their history)
import { z } from "zod";
import { HttpError, route } from "@/lib/api/route";
import { deleteProvider, ProviderError, updateProvider, ZProviderUpdate, ZProviderView } from "@/lib/llm/providers";

const ZId = z.uuid({ message: "provider id must be a UUID" });

function mapError(err: unknown): never {
  if (err instanceof ProviderError) throw new HttpError(err.status, err.message);
  throw err;
}

export const PATCH = route({ access: "distill:launch", body: ZProviderUpdate, output: z.object({ provider: ZProviderView }) }, async ({ db, body, user, params }) => {
  const id = ZId.parse(params.id);
  return { provider: await updateProvider(db, id, body, user.id).catch(mapError) };
});

export const DELETE = route({ access: "distill:launch" }, async ({ db, user, params }) => {
  const id = ZId.parse(params.id);
  await deleteProvider(db, id, user.id).catch(mapError);
  return { ok: true };
});
