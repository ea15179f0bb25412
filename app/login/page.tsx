import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/SignInForm";
import { getCurrentUser } from "@/lib/auth/current-user";

export const dynamic = "force-dynamic";

export default async function LoginPage() {
  if (await getCurrentUser()) redirect("/");
  return (
    <main className="login-box panel">
      <h1>DiSCo Studio</h1>
      <p className="muted">Sign in to curate, train and evaluate secure-code datasets.</p>
      <SignInForm />
    </main>
  );
}
