// POST /api/pairs/bulk - tag, accept-with-no-findings or re-analyze every pair of a list filter (annotator+; re-analysis researcher+)
import { HttpError, route } from "@/lib/api/route";
import { hasPermission } from "@/lib/auth/roles";
import { runBulkAction, ZBulkAction } from "@/lib/pairs/bulk-actions";

export const POST = route({ access: "pairs:review", body: ZBulkAction }, async ({ db, body, user }) => {
  const needed = body.action === "reanalyze" ? "jobs:manage" : body.action === "tag" ? "pairs:edit" : "pairs:review";
  if (!hasPermission(user.role, needed)) throw new HttpError(403, `forbidden: your role (${user.role.toLowerCase()}) may not ${needed}`);
  return runBulkAction(db, user.id, body);
});
