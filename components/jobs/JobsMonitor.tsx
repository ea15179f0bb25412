"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiJson } from "@/components/ui/api-client";

type JobRow = { jobId: string; queue: string; label: string; done: number; total: number | null; message: string | null; createdAt: string };
type WorkerRow = { id: string; hostname: string; queues: string[]; backend: string | null; lastSeenAt: string };

export function JobsMonitor() {
  const queryClient = useQueryClient();
  const data = useQuery({
    queryKey: ["jobs"],
    queryFn: () => apiJson<{ jobs: JobRow[]; workers: WorkerRow[] }>("/api/jobs"),
    refetchInterval: 2_000,
  });
  const cancel = useMutation({
    mutationFn: (id: string) => apiJson(`/api/jobs/${id}/cancel`, { method: "POST" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["jobs"] }),
  });
  if (data.error) return <p className="error">{(data.error as Error).message}</p>;
  if (!data.data) return <p className="muted">Loading…</p>;
  return (
    <>
      <h2>Workers</h2>
      <table className="data" data-testid="workers-table">
        <thead>
          <tr>
            <th>Worker</th>
            <th>Queues</th>
            <th>Trainer backend</th>
            <th>Last seen</th>
          </tr>
        </thead>
        <tbody>
          {data.data.workers.map((worker) => (
            <tr key={worker.id}>
              <td>{worker.id}</td>
              <td>{worker.queues.join(", ")}</td>
              <td>{worker.backend ?? "-"}</td>
              <td>{new Date(worker.lastSeenAt).toLocaleTimeString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.data.workers.length === 0 && <p className="error">No live worker: start one with `npm run worker`.</p>}
      <h2>Recent jobs</h2>
      <table className="data" data-testid="jobs-table">
        <thead>
          <tr>
            <th>Job</th>
            <th>Queue</th>
            <th>Progress</th>
            <th>Message</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data.data.jobs.map((job) => (
            <tr key={job.jobId}>
              <td>{job.label}</td>
              <td>{job.queue}</td>
              <td>{job.total ? `${job.done} / ${job.total}` : job.done}</td>
              <td>{job.message ?? ""}</td>
              <td>{new Date(job.createdAt).toLocaleString()}</td>
              <td>
                <button className="secondary" type="button" onClick={() => cancel.mutate(job.jobId)}>
                  Cancel
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
