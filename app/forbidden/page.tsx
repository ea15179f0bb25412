import Link from "next/link";

export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<{ need?: string }> }) {
  const { need } = await searchParams;
  return (
    <main className="login-box panel">
      <h1>Not allowed</h1>
      <p>Your role does not allow this page{need ? ` (it needs the "${need}" permission)` : ""}.</p>
      <Link href="/">Back to the dashboard</Link>
    </main>
  );
}
