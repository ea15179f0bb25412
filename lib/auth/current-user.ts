// Session lookup for server components and server actions (route handlers use lib/api/route.ts instead).
import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "../db/client";
import { hasPermission, type TPermission } from "./roles";
import { SESSION_COOKIE, validateSessionToken, type SessionUser } from "./sessions";

export async function getCurrentUser(): Promise<SessionUser | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const session = await validateSessionToken(getDb(), token);
  return session?.user ?? null;
}

/** For pages: signed-out visitors go to /login; signed-in users without the permission get the forbidden page. */
export async function requireUser(permission?: TPermission): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  if (permission && !hasPermission(user.role, permission)) redirect(`/forbidden?need=${encodeURIComponent(permission)}`);
  return user;
}
