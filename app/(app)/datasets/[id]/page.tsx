import { notFound } from "next/navigation";
import { DatasetDetail } from "@/components/datasets/DatasetDetail";
import { requireUser } from "@/lib/auth/current-user";
import { hasPermission } from "@/lib/auth/roles";
import { getDataset } from "@/lib/datasets/datasets";
import { getDb } from "@/lib/db/client";
import { getDatasetAgreement } from "@/lib/reviews/dataset-agreement";

export default async function DatasetPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser("pairs:read");
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const db = getDb();
  const dataset = await getDataset(db, id).catch(() => null);
  if (!dataset) notFound();
  const agreement = await getDatasetAgreement(db, id);
  const canFreeze = hasPermission(user.role, "versions:freeze");
  // Anyone who may review can be assigned reviews; only researchers+ see the list (it feeds the assign form).
  const annotators = canFreeze ? await db.user.findMany({ where: { disabledAt: null }, select: { id: true, name: true, email: true }, orderBy: { name: "asc" } }) : [];
  return <DatasetDetail dataset={dataset} agreement={agreement} canFreeze={canFreeze} annotators={annotators} />;
}
