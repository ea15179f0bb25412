import Link from "next/link";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { getOverview } from "@/lib/overview/get-overview";

export default async function DashboardPage() {
  const user = await requireUser();
  const overview = await getOverview(getDb());
  const cards = [
    { label: "Pairs", value: overview.pairs, href: "/pairs" },
    { label: "Unreviewed pairs", value: overview.unreviewed, href: "/pairs?status=UNREVIEWED" },
    { label: "CWEs covered", value: overview.cweCount, href: "/knowledge" },
    { label: "Knowledge-base entries", value: overview.knowledgeEntries, href: "/knowledge" },
    { label: "Packages", value: overview.packages },
    { label: "Datasets", value: overview.datasets },
    { label: "Training runs", value: overview.runs },
  ];
  return (
    <>
      <h1>Welcome, {user.name}</h1>
      <div className="grid" data-testid="overview">
        {cards.map((card) => (
          <div className="panel" key={card.label}>
            <div className="stat">{card.value}</div>
            <div className="muted">{card.href ? <Link href={card.href}>{card.label}</Link> : card.label}</div>
          </div>
        ))}
      </div>
    </>
  );
}
