// POST /api/providers/:id/test - "Test connection": GET /models, or a 1-token chat with {model} when /models fails.
// The server makes the call with the stored key; the answer carries only the outcome and the listed model ids.
import { z } from "zod";
import { HttpError, route } from "@/lib/api/route";
import { ProviderError, providerCredentials, testProviderConnection, ZProviderTestResult } from "@/lib/llm/providers";

const ZBody = z.object({ model: z.string().trim().min(1).max(200).optional() }).strict();

export const POST = route({ access: "distill:launch", body: ZBody, output: ZProviderTestResult }, async ({ db, body, params }) => {
  const id = z.uuid({ message: "provider id must be a UUID" }).parse(params.id);
  const credentials = await providerCredentials(db, id).catch((err) => {
    if (err instanceof ProviderError) throw new HttpError(err.status, err.message);
    throw err;
  });
  return testProviderConnection(credentials, { model: body.model });
});
