// One call for the page, the API and the CLI: filters in, the view's table out.
import type { Db } from "../db/client";
import { FLAGGED_COLUMN, LEADERBOARD_VIEWS, loadLeaderboardEntries, type TLeaderboardFilters } from "./load";
import { buildLeaderboard } from "./table";

export async function getLeaderboard(db: Db, filters: TLeaderboardFilters) {
  const view = LEADERBOARD_VIEWS.find((candidate) => candidate.id === filters.view)!;
  const entries = await loadLeaderboardEntries(db, filters);
  return { view, table: buildLeaderboard(entries, { extraColumns: view.id === "table5" ? [FLAGGED_COLUMN] : [] }) };
}
