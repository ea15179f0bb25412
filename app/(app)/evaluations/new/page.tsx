import { LaunchEvaluationForm } from "@/components/evaluations/LaunchEvaluationForm";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { getEvaluationLaunchOptions } from "@/lib/eval/queries";

export const dynamic = "force-dynamic";

export default async function NewEvaluationPage({ searchParams }: { searchParams: Promise<{ run?: string }> }) {
  await requireUser("evals:launch");
  const options = await getEvaluationLaunchOptions(getDb());
  const { run } = await searchParams;
  return (
    <>
      <h1>New evaluation</h1>
      <LaunchEvaluationForm options={options} initialRunId={run && options.runs.some((candidate) => candidate.id === run) ? run : null} />
    </>
  );
}
