"use client";

import { useRouter } from "next/navigation";
import type { getDataset } from "@/lib/datasets/datasets";
import type { TDatasetAgreement } from "@/lib/reviews/dataset-agreement";
import { AgreementPanel } from "./AgreementPanel";
import { AssignForm } from "./AssignForm";
import { CompareVersions } from "./CompareVersions";
import { FreezeVersionForm } from "./FreezeVersionForm";
import { ReviewsRequiredForm } from "./ReviewsRequiredForm";

export type TDatasetView = Awaited<ReturnType<typeof getDataset>>;

export function DatasetDetail({
  dataset,
  agreement,
  canFreeze,
  annotators,
}: {
  dataset: TDatasetView;
  agreement: TDatasetAgreement;
  canFreeze: boolean;
  annotators: { id: string; name: string; email: string }[];
}) {
  const router = useRouter();
  return (
    <>
      <h1>{dataset.name}</h1>
      <p className="muted">
        {dataset.description} {dataset.pairCount} pairs:{" "}
        {Object.entries(dataset.byStatus)
          .map(([status, count]) => `${count} ${status.toLowerCase().replace("_", " ")}`)
          .join(", ")}
        .
      </p>
      <AgreementPanel agreement={agreement} />
      {canFreeze && <ReviewsRequiredForm datasetId={dataset.id} current={dataset.reviewsRequired} onSaved={() => router.refresh()} />}
      {canFreeze && annotators.length > 0 && <AssignForm datasetId={dataset.id} annotators={annotators} reviewsRequired={dataset.reviewsRequired} onAssigned={() => router.refresh()} />}

      <h2>Versions</h2>
      <table className="data" data-testid="versions-table">
        <thead>
          <tr>
            <th>#</th>
            <th>Name</th>
            <th>Pairs</th>
            <th>Train / val / test</th>
            <th>Split (seed)</th>
            <th>Excluded CWEs</th>
            <th>Content hash</th>
            <th>Frozen</th>
          </tr>
        </thead>
        <tbody>
          {dataset.versions.map((version) => {
            const split = version.splitConfig as { train: number; val: number; test: number; seed: number };
            return (
              <tr key={version.id} data-testid={`version-${version.version}`}>
                <td>{version.version}</td>
                <td>
                  {version.name}
                  {version.description && <div className="muted">{version.description}</div>}
                </td>
                <td>{version.pairCount}</td>
                <td data-testid="split-counts">{version.splitCounts ? `${version.splitCounts.TRAIN} / ${version.splitCounts.VAL} / ${version.splitCounts.TEST}` : "-"}</td>
                <td>
                  {split.train} / {split.val} / {split.test} ({split.seed})
                </td>
                <td>{version.excludedCwes.join(", ") || "-"}</td>
                <td>
                  <code title={version.contentHash} data-testid="content-hash">
                    {version.contentHash.slice(0, 12)}
                  </code>
                </td>
                <td>
                  {new Date(version.createdAt).toLocaleString()}
                  <div className="muted">{version.createdBy?.name ?? ""}</div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {dataset.versions.length === 0 && <p className="muted">No version frozen yet.</p>}

      {canFreeze && <FreezeVersionForm datasetId={dataset.id} sources={dataset.sources.map((row) => row.source)} onFrozen={() => router.refresh()} />}
      {dataset.versions.length >= 2 && <CompareVersions versions={dataset.versions.map((v) => ({ id: v.id, label: `#${v.version} ${v.name}` }))} />}
    </>
  );
}
