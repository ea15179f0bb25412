// POST /api/conflicts/:pairId/resolve - a lead settles a conflict: accept or reject, with a note (lead+)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { resolveConflict, ZResolveConflict } from "@/lib/reviews/conflicts";

export const POST = route({ access: "reviews:resolve", body: ZResolveConflict }, async ({ db, params, body, user }) =>
  resolveConflict(db, { ...body, pairId: z.uuid({ message: "pair id must be a UUID" }).parse(params.pairId), leadId: user.id }),
);
