// GET /api/leaderboards?view=table1&format=json|csv|latex[&datasetVersionId=&tag=] - a paper-shaped table (annotator+)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { getLeaderboard } from "@/lib/leaderboards/get-leaderboard";
import { ZLeaderboardFilters } from "@/lib/leaderboards/load";
import { leaderboardToCsv, leaderboardToLatex } from "@/lib/leaderboards/table";

const ZQuery = ZLeaderboardFilters.extend({ format: z.enum(["json", "csv", "latex"]).default("json") });

export const GET = route({ access: "runs:read", query: ZQuery }, async ({ db, query }) => {
  const { format, ...filters } = query;
  const { table, view } = await getLeaderboard(db, filters);
  if (format === "json") return { view, table };
  const body = format === "csv" ? leaderboardToCsv(table) : leaderboardToLatex(table, { caption: view.label });
  const extension = format === "csv" ? "csv" : "tex";
  return new Response(body, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-tex; charset=utf-8",
      "content-disposition": `attachment; filename="leaderboard-${view.id}.${extension}"`,
    },
  });
});
