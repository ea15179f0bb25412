// GET /api/users - list accounts; POST /api/users - create an account (admin)
import { z } from "zod";
import { route } from "@/lib/api/route";
import { createUser, listUsers, ZCreateUserInput, ZPublicUser } from "@/lib/auth/users";

export const GET = route({ access: "users:manage", output: z.object({ users: z.array(ZPublicUser) }) }, async ({ db }) => ({
  users: await listUsers(db),
}));

export const POST = route({ access: "users:manage", body: ZCreateUserInput, output: z.object({ user: ZPublicUser }) }, async ({ db, body, user }) => ({
  user: await createUser(db, body, user.id),
}));
