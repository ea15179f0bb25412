import { UsersAdmin } from "@/components/admin/UsersAdmin";
import { requireUser } from "@/lib/auth/current-user";

export default async function UsersPage() {
  const user = await requireUser("users:manage");
  return (
    <>
      <h1>Users</h1>
      <UsersAdmin currentUserId={user.id} />
    </>
  );
}
