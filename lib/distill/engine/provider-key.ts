// The decrypted API key of a provider, for the engine's LLM client only (never returned to a browser, never logged).
import type { Db } from "../../db/client";

export async function providerApiKey(db: Db, providerId: string): Promise<string | null> {
  const provider = await db.llmProvider.findUnique({ where: { id: providerId }, select: { apiKeyEncrypted: true } });
  if (!provider) throw new Error(`no provider ${providerId}`);
  if (!provider.apiKeyEncrypted) return null;
  // TODO(D-llm): decrypt with lib/llm/secrets once it lands.
  throw new Error("provider keys cannot be decrypted yet");
}
