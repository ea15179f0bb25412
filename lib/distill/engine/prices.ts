// The price a job uses when the launch gives none: the list price from lib/llm/pricing (dated snapshots fall back to
// their family). Stored on the job, so later changes to the table never change a running job's accounting.
import { DEFAULT_PRICES, findPrice } from "../../llm/pricing";
import type { TPrice } from "./config";

export function defaultPriceFor(model: string): TPrice | null {
  const price = findPrice(DEFAULT_PRICES, model);
  return price ? { inputUsdPerMTok: price.inputPerMTok, outputUsdPerMTok: price.outputPerMTok } : null;
}
