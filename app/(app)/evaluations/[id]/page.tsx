import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { getEvaluationDetail } from "@/lib/leaderboards/get-evaluation-detail";
import { EvaluationLiveStatus } from "@/components/evaluations/EvaluationLiveStatus";
import { hasPermission } from "@/lib/auth/roles";

const ZParams = z.object({ page: z.coerce.number().int().min(1).default(1), filter: z.enum(["all", "insecure", "invalid", "failed"]).default("all") });

function CodeWithFindings({ code, findings }: { code: string; findings: { startLine: number; endLine: number }[] }) {
  const flagged = new Set<number>();
  for (const finding of findings) for (let line = finding.startLine; line <= finding.endLine; line += 1) flagged.add(line);
  return (
    <pre className="code numbered">
      {code.split("\n").map((line, index) => (
        <div key={index} className={flagged.has(index + 1) ? "flagged-line" : undefined}>
          <span className="line-number">{index + 1}</span>
          {line}
        </div>
      ))}
    </pre>
  );
}

export default async function EvaluationPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser("runs:read");
  const { id } = await params;
  if (!z.string().uuid().safeParse(id).success) notFound();
  const query = ZParams.safeParse(await searchParams);
  const options = query.success ? query.data : { page: 1, filter: "all" as const };
  const detail = await getEvaluationDetail(getDb(), id, options);
  if (!detail) notFound();
  const { evaluation, generations, total, pages } = detail;
  const who = evaluation.run ? `${evaluation.run.name} (${evaluation.run.preset ?? evaluation.run.method})` : (evaluation.model?.name ?? evaluation.frontierModel ?? "unknown");
  const link = (overrides: Record<string, string | number>) => `/evaluations/${id}?${new URLSearchParams({ filter: options.filter, page: String(options.page), ...Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, String(v)])) })}`;

  return (
    <>
      <h1>
        {who} on {evaluation.benchmark.name}
      </h1>
      <EvaluationLiveStatus id={evaluation.id} status={evaluation.status} canCancel={hasPermission(user.role, "evals:launch")} />
      <dl className="provenance" data-testid="evaluation-provenance">
        <dt>Status</dt>
        <dd>{evaluation.status.toLowerCase()}{evaluation.error ? `: ${evaluation.error}` : ""}</dd>
        {evaluation.run && (
          <>
            <dt>Run</dt>
            <dd>
              <Link href={`/experiments/${evaluation.run.id}`}>{evaluation.run.name}</Link>
            </dd>
          </>
        )}
        <dt>Checkpoint</dt>
        <dd>{evaluation.checkpoint ? `step ${evaluation.checkpoint.step}` : "-"}</dd>
        <dt>Decoding</dt>
        <dd>
          <code>{JSON.stringify(evaluation.decoding)}</code>, {evaluation.samplesPerItem} samples per item
        </dd>
        <dt>Benchmark</dt>
        <dd>
          {evaluation.benchmark.name} ({evaluation.benchmark.kind.toLowerCase()}), sha256 <code>{evaluation.benchmarkHash.slice(0, 16)}</code>
        </dd>
        <dt>Analyzers</dt>
        <dd>
          <code>{JSON.stringify(evaluation.analyzerVersions)}</code>
        </dd>
        <dt>Summary</dt>
        <dd>
          <code>{JSON.stringify(evaluation.summary)}</code>
        </dd>
      </dl>
      <nav className="tabs" aria-label="Filter generations">
        {(["all", "insecure", "invalid", "failed"] as const).map((filter) => (
          <Link key={filter} href={link({ filter, page: 1 })} aria-current={filter === options.filter ? "page" : undefined}>
            {filter}
          </Link>
        ))}
      </nav>
      <p className="muted">
        {total} generations, page {options.page} of {pages}
      </p>
      {generations.map((generation) => {
        const counted = generation.findings.filter((finding) => finding.duplicateOfId === null);
        const utility = generation.scores.find((score) => score.kind === "UTILITY");
        return (
          <section key={generation.id} className="generation" data-testid="generation">
            <h3>
              {generation.item.externalId} #{generation.sampleIndex}{" "}
              {generation.isValid === false ? <span className="badge badge-bad">invalid: {generation.parseError}</span> : null}
              {evaluation.benchmark.kind === "SECURITY" && generation.isValid !== false && (
                <span className={counted.length > 0 ? "badge badge-bad" : "badge badge-ok"}>{counted.length} issues</span>
              )}
              {utility && (
                <span className={utility.passed ? "badge badge-ok" : "badge badge-bad"}>
                  {utility.passed ? "passed" : "failed"} (exit {utility.exitCode ?? "-"}, {utility.durationMs ?? "-"} ms)
                </span>
              )}
            </h3>
            <CodeWithFindings code={generation.extractedCode ?? generation.rawText} findings={counted} />
            {generation.findings.length > 0 && (
              <ul className="findings">
                {generation.findings.map((finding) => (
                  <li key={finding.id} className={finding.duplicateOfId ? "muted" : undefined}>
                    line {finding.startLine}
                    {finding.endLine !== finding.startLine ? `-${finding.endLine}` : ""}: {finding.tool} {finding.ruleId} {finding.cweId ?? ""} ({finding.severity}) {finding.message}
                    {finding.duplicateOfId ? " (same issue as another tool's finding, counted once)" : ""}
                  </li>
                ))}
              </ul>
            )}
            {utility?.detail && <pre className="code">{utility.detail}</pre>}
            <details>
              <summary>Raw model output</summary>
              <pre className="code">{generation.rawText}</pre>
            </details>
          </section>
        );
      })}
      <p>
        {options.page > 1 && <Link href={link({ page: options.page - 1 })}>Previous</Link>} {options.page < pages && <Link href={link({ page: options.page + 1 })}>Next</Link>}
      </p>
    </>
  );
}
