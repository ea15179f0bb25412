// GET /api/auth/me - the signed-in user and what they may do
import { route } from "@/lib/api/route";
import { hasPermission, PERMISSIONS, type TPermission } from "@/lib/auth/roles";

export const GET = route({ access: "signed-in" }, async ({ user }) => ({
  user,
  permissions: (Object.keys(PERMISSIONS) as TPermission[]).filter((permission) => hasPermission(user.role, permission)),
}));
