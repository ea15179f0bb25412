"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { NavItem } from "@/lib/auth/navigation";

export function NavLinks({ items }: { items: Pick<NavItem, "href" | "label">[] }) {
  const pathname = usePathname();
  return (
    <nav className="shell-nav" aria-label="Main">
      {items.map((item) => (
        <Link key={item.href} href={item.href} aria-current={pathname.startsWith(item.href) ? "page" : undefined}>
          {item.label}
        </Link>
      ))}
    </nav>
  );
}
