import { notFound } from "next/navigation";
import { DistillJobView } from "@/components/distill/DistillJobView";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";

export default async function DistillJobPage({ params }: { params: Promise<{ id: string }> }) {
  await requireUser("distill:launch");
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const job = await getDb().distillationJob.findUnique({ where: { id }, select: { id: true } });
  if (!job) notFound();
  return <DistillJobView id={id} />;
}
