import { JobsMonitor } from "@/components/jobs/JobsMonitor";
import { requireUser } from "@/lib/auth/current-user";

export default async function JobsPage() {
  await requireUser("jobs:manage");
  return (
    <>
      <h1>Jobs and workers</h1>
      <JobsMonitor />
    </>
  );
}
