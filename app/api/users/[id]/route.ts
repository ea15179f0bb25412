// PATCH /api/users/:id - change an account's role, name or disabled state (admin)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { updateUser, ZPublicUser, ZUpdateUserInput } from "@/lib/auth/users";

export const PATCH = route({ access: "users:manage", body: ZUpdateUserInput, output: z.object({ user: ZPublicUser }) }, async ({ db, body, user, params }) => {
  const id = z.uuid({ message: "user id must be a UUID" }).parse(params.id);
  return { user: await updateUser(db, id, body, user.id) };
});
