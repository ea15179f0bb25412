import { MyQueue } from "@/components/queue/MyQueue";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { getMyQueue } from "@/lib/reviews/my-queue";

export default async function QueuePage() {
  const user = await requireUser("pairs:review");
  const queue = await getMyQueue(getDb(), user.id);
  return <MyQueue queue={queue} />;
}
