import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/auth/SignOutButton";
import { NavLinks } from "@/components/layout/NavLinks";
import { Providers } from "@/components/layout/Providers";
import { requireUser } from "@/lib/auth/current-user";
import { navigationFor } from "@/lib/auth/navigation";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const items = navigationFor(user.role).map(({ href, label }) => ({ href, label }));
  return (
    <Providers>
      <header className="shell-header">
        <Link href="/" className="shell-brand">
          DiSCo Studio
        </Link>
        <NavLinks items={items} />
        <div className="shell-user">
          <span data-testid="current-user">{user.email}</span>
          <span className="badge" data-testid="current-role">
            {user.role.toLowerCase()}
          </span>
          <SignOutButton />
        </div>
      </header>
      <main className="page">{children}</main>
    </Providers>
  );
}
