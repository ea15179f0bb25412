import Link from "next/link";
import { EvaluationsTable } from "@/components/evaluations/EvaluationsTable";
import { requireUser } from "@/lib/auth/current-user";
import { hasPermission } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { listEvaluations } from "@/lib/eval/queries";

export const dynamic = "force-dynamic";

export default async function EvaluationsPage() {
  const user = await requireUser("runs:read");
  const evaluations = await listEvaluations(getDb(), { limit: 500 });
  const canLaunch = hasPermission(user.role, "evals:launch");
  return (
    <>
      <div className="run-header">
        <h1>Evaluations</h1>
        <span className="evaluation-links">
          <Link href="/leaderboards">Leaderboards</Link> · <Link href="/benchmarks">Benchmarks</Link>
          {canLaunch && (
            <>
              {" "}
              ·{" "}
              <Link className="run-new-link" href="/evaluations/new">
                New evaluation
              </Link>
            </>
          )}
        </span>
      </div>
      <EvaluationsTable initial={evaluations} canLaunch={canLaunch} />
    </>
  );
}
