import { ConflictList } from "@/components/queue/ConflictList";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { listConflicts } from "@/lib/reviews/conflicts";

export default async function ConflictsPage() {
  await requireUser("reviews:resolve");
  return <ConflictList conflicts={await listConflicts(getDb())} />;
}
