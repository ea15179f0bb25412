import Link from "next/link";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { listProviders } from "@/lib/llm/providers";
import { ProvidersManager } from "@/components/providers/ProvidersManager";

export const dynamic = "force-dynamic";

export default async function ProvidersPage() {
  await requireUser("distill:launch");
  const providers = await listProviders(getDb());
  return (
    <>
      <p className="muted">
        <Link href="/distill">Distill</Link> / Providers
      </p>
      <h1>LLM providers</h1>
      <p className="muted">
        Any OpenAI-compatible endpoint (OpenAI, Azure-style proxies, vLLM, llama.cpp server...). API keys are stored encrypted and are
        never shown again after saving: only a hint of their first and last characters.
      </p>
      <ProvidersManager initial={providers} />
    </>
  );
}
