// GET /api/providers - LLM providers (never their keys: hasKey and a masked hint only)
// POST /api/providers - add one {name, baseUrl, apiKey?}; the key is stored encrypted (researcher+)
import { z } from "zod";
import { HttpError, route } from "@/lib/api/route";
import { createProvider, listProviders, ProviderError, ZProviderCreate, ZProviderView } from "@/lib/llm/providers";

export const GET = route({ access: "distill:launch", output: z.object({ providers: z.array(ZProviderView) }) }, async ({ db }) => {
  return { providers: await listProviders(db) };
});

export const POST = route({ access: "distill:launch", body: ZProviderCreate, output: z.object({ provider: ZProviderView }) }, async ({ db, body, user }) => {
  try {
    return { provider: await createProvider(db, body, user.id) };
  } catch (err) {
    if (err instanceof ProviderError) throw new HttpError(err.status, err.message);
    throw err;
  }
});
