// The navigation each role sees; pages re-check the same permission on the server, so hiding a link is convenience only.
import { hasPermission, type TPermission, type TRole } from "./roles";

export type NavItem = { href: string; label: string; permission: TPermission };

export const NAV_ITEMS: NavItem[] = [
  { href: "/pairs", label: "Pairs", permission: "pairs:read" },
  { href: "/queue", label: "Queue", permission: "pairs:review" },
  { href: "/datasets", label: "Datasets", permission: "pairs:read" },
  { href: "/coverage", label: "Coverage", permission: "pairs:read" },
  { href: "/knowledge", label: "Knowledge base", permission: "kb:read" },
  { href: "/experiments", label: "Experiments", permission: "runs:read" },
  { href: "/leaderboards", label: "Leaderboards", permission: "runs:read" },
  { href: "/distill", label: "Distill", permission: "distill:launch" },
  { href: "/jobs", label: "Jobs", permission: "jobs:manage" },
  { href: "/conflicts", label: "Conflicts", permission: "reviews:resolve" },
  { href: "/admin/users", label: "Users", permission: "users:manage" },
];

export function navigationFor(role: TRole): NavItem[] {
  return NAV_ITEMS.filter((item) => hasPermission(role, item.permission));
}
