import { CoverageView } from "@/components/coverage/CoverageView";
import { requireUser } from "@/lib/auth/current-user";
import { getCoverage } from "@/lib/coverage/get-coverage";
import { getDb } from "@/lib/db/client";

// Annotators may look too: knowing which weaknesses are thin helps everyone, and it shows no one's decisions.
export default async function CoveragePage({ searchParams }: { searchParams: Promise<{ dataset?: string }> }) {
  await requireUser("pairs:read");
  const db = getDb();
  const datasets = await db.dataset.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } });
  const requested = (await searchParams).dataset;
  const datasetId = datasets.some((dataset) => dataset.id === requested) ? requested! : null;
  return <CoverageView coverage={await getCoverage(db, { datasetId })} datasets={datasets} />;
}
