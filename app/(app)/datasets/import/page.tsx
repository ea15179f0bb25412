import { ImportForm } from "@/components/datasets/ImportForm";
import { requireUser } from "@/lib/auth/current-user";

export default async function ImportPage() {
  await requireUser("data:import");
  return (
    <>
      <h1>Import pairs</h1>
      <p className="muted">
        Bad rows are listed with their line and never block the good ones; rows already in the dataset (same content) are skipped, so re-importing a file is
        safe. New pairs are analyzed afterwards by a worker on the import and analyze queues.
      </p>
      <ImportForm />
    </>
  );
}
