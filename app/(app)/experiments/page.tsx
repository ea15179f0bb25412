import Link from "next/link";
import { RunsTable } from "@/components/experiments/RunsTable";
import { requireUser } from "@/lib/auth/current-user";
import { hasPermission } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { listRuns } from "@/lib/training/queries";

export const dynamic = "force-dynamic";

export default async function ExperimentsPage() {
  const user = await requireUser("runs:read");
  const runs = await listRuns(getDb(), { limit: 500 });
  return (
    <>
      <div className="run-header">
        <h1>Experiments</h1>
        {hasPermission(user.role, "runs:launch") && (
          <Link className="run-new-link" href="/experiments/new">
            New run
          </Link>
        )}
      </div>
      <RunsTable initialRuns={runs} />
    </>
  );
}
