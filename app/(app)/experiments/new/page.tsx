import { LaunchForm } from "@/components/experiments/LaunchForm";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { PRESETS, SETTING_REASONS } from "@/trainer/src/config";
import { getLaunchOptions } from "@/lib/training/queries";

export const dynamic = "force-dynamic";

export default async function NewRunPage({ searchParams }: { searchParams: Promise<{ parent?: string }> }) {
  await requireUser("runs:launch");
  const options = await getLaunchOptions(getDb());
  const { parent } = await searchParams;
  return (
    <>
      <h1>New training run</h1>
      <LaunchForm presets={PRESETS.map((preset) => ({ ...preset }))} reasons={SETTING_REASONS} options={options} initialParentRunId={parent ?? null} />
    </>
  );
}
