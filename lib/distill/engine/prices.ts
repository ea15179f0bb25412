// The price a job uses when the launch gives none. TODO(D-llm): defer to lib/llm/pricing's table once it lands.
import type { TPrice } from "./config";

const KNOWN: Record<string, TPrice> = {
  "gpt-4o": { inputUsdPerMTok: 2.5, outputUsdPerMTok: 10 },
  "gpt-4o-2024-08-06": { inputUsdPerMTok: 2.5, outputUsdPerMTok: 10 },
  "gpt-4o-mini": { inputUsdPerMTok: 0.15, outputUsdPerMTok: 0.6 },
};

export function defaultPriceFor(model: string): TPrice | null {
  return KNOWN[model] ?? null;
}
