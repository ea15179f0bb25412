// GET /api/pairs - one page of the pair list with the same filters as the /pairs page (annotator+)
import { route } from "@/lib/api/route";
import { listPairs, ZListPairsQuery } from "@/lib/pairs/list-pairs";

export const GET = route({ access: "pairs:read", query: ZListPairsQuery }, async ({ db, query }) => listPairs(db, query));
