import Link from "next/link";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { listDistillJobs } from "@/lib/distill/engine/progress";

export default async function DistillPage() {
  await requireUser("distill:launch");
  const jobs = await listDistillJobs(getDb());
  return (
    <>
      <div className="run-header">
        <h1>Distillation</h1>
        <Link href="/distill/providers">Providers</Link>
        <Link href="/distill/templates">Templates</Link>
        <Link href="/knowledge">Knowledge base</Link>
        <Link href="/distill/new" className="run-new-link">
          New distillation
        </Link>
      </div>
      <table className="data" data-testid="distill-jobs">
        <thead>
          <tr>
            <th>Job</th>
            <th>Status</th>
            <th>Model</th>
            <th>Prompts</th>
            <th>Pairs</th>
            <th>Spent / budget</th>
            <th>Dataset</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <tr key={job.id}>
              <td>
                <Link href={`/distill/${job.id}`}>{job.name}</Link>
              </td>
              <td>
                <span className={`badge distill-status-${job.status.toLowerCase()}`}>{job.status.toLowerCase()}</span>
              </td>
              <td>{job.model}</td>
              <td>{job.prompts}</td>
              <td>{job.pairs}</td>
              <td>
                ${job.spentUsd.toFixed(4)}
                {job.budgetUsd !== null ? ` / $${job.budgetUsd.toFixed(2)}` : ""}
              </td>
              <td>{job.datasetId ? <Link href={`/datasets/${job.datasetId}`}>{job.datasetName}</Link> : "-"}</td>
              <td>{new Date(job.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {jobs.length === 0 && <p className="muted">No distillation yet. Add a provider, import a knowledge base, then start one.</p>}
    </>
  );
}
