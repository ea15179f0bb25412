import { notFound } from "next/navigation";
import { RunView } from "@/components/experiments/RunView";
import { requireUser } from "@/lib/auth/current-user";
import { hasPermission } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { getRun } from "@/lib/training/queries";

export const dynamic = "force-dynamic";

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser("runs:read");
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const run = await getRun(getDb(), id).catch(() => null);
  if (!run) notFound();
  return <RunView initialRun={run} canLaunch={hasPermission(user.role, "runs:launch")} />;
}
