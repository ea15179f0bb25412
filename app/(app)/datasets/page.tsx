import Link from "next/link";
import { requireUser } from "@/lib/auth/current-user";
import { listDatasets } from "@/lib/datasets/datasets";
import { getDb } from "@/lib/db/client";

const STATUSES = ["UNREVIEWED", "IN_REVIEW", "ACCEPTED", "REJECTED", "CONFLICT"] as const;

export default async function DatasetsPage() {
  await requireUser("pairs:read");
  const datasets = await listDatasets(getDb());
  return (
    <>
      <h1>Datasets</h1>
      <table className="data" data-testid="datasets-table">
        <thead>
          <tr>
            <th>Dataset</th>
            <th>Pairs</th>
            {STATUSES.map((status) => (
              <th key={status}>{status.toLowerCase().replace("_", " ")}</th>
            ))}
            <th>Reviews per pair</th>
            <th>Versions</th>
          </tr>
        </thead>
        <tbody>
          {datasets.map((dataset) => (
            <tr key={dataset.id}>
              <td>
                <Link href={`/datasets/${dataset.id}`}>{dataset.name}</Link>
                <div className="muted">{dataset.description}</div>
              </td>
              <td>{dataset.pairCount}</td>
              {STATUSES.map((status) => (
                <td key={status}>{dataset.byStatus[status]}</td>
              ))}
              <td>{dataset.reviewsRequired}</td>
              <td>{dataset.versionCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {datasets.length === 0 && <p className="muted">No datasets yet.</p>}
    </>
  );
}
