// Roles and what each may do: the single table every API route, server action, CLI command and the navigation read.
// Roles are cumulative: researcher can do all an annotator can, lead all a researcher can, admin everything.
import { z } from "zod";

export const ROLES = ["ANNOTATOR", "RESEARCHER", "LEAD", "ADMIN"] as const;
export const ZRole = z.enum(ROLES);
export type TRole = z.infer<typeof ZRole>;

const ROLE_RANK: Record<TRole, number> = { ANNOTATOR: 0, RESEARCHER: 1, LEAD: 2, ADMIN: 3 };

/** Each permission names the lowest role that holds it. */
export const PERMISSIONS = {
  "pairs:read": "ANNOTATOR",
  "pairs:review": "ANNOTATOR",
  "pairs:edit": "ANNOTATOR",
  "kb:read": "ANNOTATOR",
  "runs:read": "ANNOTATOR",
  "data:import": "RESEARCHER",
  "kb:edit": "RESEARCHER",
  "distill:launch": "RESEARCHER",
  "runs:launch": "RESEARCHER",
  "evals:launch": "RESEARCHER",
  "versions:freeze": "RESEARCHER",
  "jobs:manage": "RESEARCHER",
  "reviews:resolve": "LEAD",
  "leaderboards:manage": "LEAD",
  "users:manage": "ADMIN",
} as const satisfies Record<string, TRole>;

export type TPermission = keyof typeof PERMISSIONS;

export function hasPermission(role: TRole, permission: TPermission): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[PERMISSIONS[permission]];
}

export function parseRole(value: string): TRole {
  const upper = value.trim().toUpperCase();
  const parsed = ZRole.safeParse(upper);
  if (!parsed.success) throw new Error(`Unknown role "${value}": expected one of ${ROLES.map((r) => r.toLowerCase()).join(", ")}`);
  return parsed.data;
}
