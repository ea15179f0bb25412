// The "distill.run" job: sends a distillation job's planned prompts in parallel tasks, stores every answer before using
// it, parses and validates it, analyzes the secure code, refines it with the analyzers' feedback for the configured
// rounds, and lands each result as a pair in the target dataset.
//
// Crash safety comes from the order of writes, not from the job queue: an answer is stored (llm_attempts) before
// anything is done with it, and everything after it is derived from stored rows. A prompt with a stored successful
// GENERATE answer is never sent again; a stored REFINE answer for round k is never asked for again; a pair that already
// exists (the GENERATE attempt points at it) is continued from its current revision. So a job run again after a killed
// worker re-derives its state and only sends what was never answered.
import crypto from "node:crypto";
import { Prisma } from "../../generated/prisma/client";
import type { Db } from "../../db/client";
import { getBoss } from "../../jobs/boss";
import { enqueueJob } from "../../jobs/enqueue";
import type { JobContext } from "../../jobs/handlers";
import { LlmRequestError, type TChatMessage, type TChatResult } from "../../llm/client";
import { pairContentHash } from "../../pairs/content-hash";
import { PythonSyntaxChecker } from "../../python/syntax-checker";
import { DEFAULT_TOKENIZER_ID, loadTokenizer } from "../../tokenizers/registry";
import { renderTemplate } from "../templates";
import { AnalysisBatcher } from "./analysis-batcher";
import { BudgetExceededError, BudgetGuard, costOf, worstCaseCost } from "./budget";
import { readStoredConfig, type TStoredConfig } from "./config";
import { formatFeedback } from "./feedback";
import { acquireLease, leaseState, leaseTimings, releaseLease, renewLease, setWatchdogChain } from "./lease";
import type { TEngineDeps } from "./types";

export type TRunPayload = { distillationJobId: string; watchdog?: boolean; chain?: string };

export type TRunResult = { status: string; reason?: string; processed?: number };

type Attempt = { id: string; purpose: string; round: number; rawResponse: string | null; error: string | null; pairId: string | null; createdAt: Date };

type PromptRow = {
  id: string;
  position: number;
  text: string;
  status: string;
  entry: { id: string; cweId: string; title: string; description: string };
  package: { name: string } | null;
};

/** An answer counts as stored and usable once it has a response body and no error. */
export function isStoredAnswer(attempt: Pick<Attempt, "rawResponse" | "error">): boolean {
  return attempt.rawResponse !== null && attempt.error === null;
}

/** The assistant text of a stored raw response (the HTTP body); the body itself when it is not chat-completion JSON. */
export function answerText(rawResponse: string): string {
  try {
    const body = JSON.parse(rawResponse) as { choices?: { message?: { content?: unknown } }[] };
    const content = body?.choices?.[0]?.message?.content;
    if (typeof content === "string") return content;
  } catch {
    // not JSON: the stored text is the answer itself
  }
  return rawResponse;
}

class StopRunner extends Error {}

/** Queues the next link of a job's watchdog chain (see lease.ts). */
export async function enqueueWatchdog(db: Db, distillationJobId: string, chain: string, afterSeconds: number): Promise<string> {
  return enqueueJob(db, "distill.run", { distillationJobId, watchdog: true, chain }, { startAfterSeconds: Math.max(1, Math.round(afterSeconds)) });
}

/** Queues a run of the job and starts a new watchdog chain for it (launch and resume). */
export async function startDistillRun(db: Db, distillationJobId: string, createdById: string | null): Promise<string> {
  const chain = crypto.randomUUID();
  await setWatchdogChain(db, distillationJobId, chain);
  const runJobId = await enqueueJob(db, "distill.run", { distillationJobId }, { createdById });
  await enqueueWatchdog(db, distillationJobId, chain, leaseTimings().watchdogSeconds);
  return runJobId;
}

export async function runDistillJob(db: Db, payload: TRunPayload, context: JobContext, deps: TEngineDeps | ((job: { providerId: string | null; concurrency: number }) => Promise<TEngineDeps>)): Promise<TRunResult> {
  const job = await db.distillationJob.findUnique({ where: { id: payload.distillationJobId } });
  if (!job) return { status: "missing", reason: `no distillation job ${payload.distillationJobId}` };
  if (job.status !== "QUEUED" && job.status !== "RUNNING") return { status: job.status, reason: "nothing to run" };

  const timings = leaseTimings();
  const owner = context.jobId;
  if (payload.watchdog) {
    const state = await leaseState(db, job.id);
    if (!payload.chain || payload.chain !== state.chain) return { status: job.status, reason: "a link of an older watchdog chain" };
    if (state.owner && state.remainingMs > 0) {
      // The runner is alive: look again just after its lease would lapse.
      await enqueueWatchdog(db, job.id, payload.chain, Math.ceil(state.remainingMs / 1000) + 1);
      return { status: job.status, reason: "the runner holds the lease" };
    }
    // No live runner: keep the chain going, then take over below.
    await enqueueWatchdog(db, job.id, payload.chain, timings.watchdogSeconds);
  }
  const lease = await acquireLease(db, job.id, owner, timings.leaseMs);
  if (!lease) return { status: job.status, reason: "another runner holds the lease" };
  if (lease.previousOwner) {
    // The previous runner died without releasing the lease; its pg-boss job would otherwise sit "active" for hours.
    await getBoss()
      .then((boss) => boss.cancel("distill", lease.previousOwner!))
      .catch(() => {});
  }

  const config = readStoredConfig(job.config);
  const resolvedDeps = typeof deps === "function" ? await deps({ providerId: job.providerId, concurrency: config.concurrency }) : deps;
  // The exact spend is the sum of the stored attempts (the job's column keeps 4 decimals).
  const spent = await db.llmAttempt.aggregate({ where: { jobId: job.id }, _sum: { costUsd: true } });
  const runner = new Runner(db, job.id, job.model, job.budgetUsd === null ? NaN : Number(job.budgetUsd), Number(spent._sum.costUsd ?? 0), config, resolvedDeps, context, owner, timings);
  try {
    const started = await db.distillationJob.updateMany({
      where: { id: job.id, status: { in: ["QUEUED", "RUNNING"] } },
      data: { status: "RUNNING", startedAt: job.startedAt ?? new Date(), error: null },
    });
    if (started.count === 0) return { status: "STOPPED", reason: "paused or cancelled before it started" };
    return await runner.run();
  } catch (error) {
    // A failure that is not about one prompt (database, analyzers, provider gone) fails the job with its reason; a user
    // can resume it once fixed, and it continues from what was stored.
    await db.distillationJob
      .updateMany({ where: { id: job.id, status: "RUNNING" }, data: { status: "FAILED", error: (error as Error).message.slice(0, 2000), finishedAt: new Date() } })
      .catch(() => {});
    throw error;
  } finally {
    await runner.close();
    await (resolvedDeps as { close?: () => Promise<void> }).close?.().catch(() => {});
    await releaseLease(db, job.id, owner).catch(() => {});
  }
}

class Runner {
  private readonly budget: BudgetGuard;
  private batcher!: AnalysisBatcher;
  private readonly syntax = new PythonSyntaxChecker();
  private stopReason: { status: "PAUSED" | "CANCELLED" | "STOPPED"; message?: string } | null = null;
  private lastStatusCheck = 0;
  private processed = 0;
  private ticker: NodeJS.Timeout | null = null;
  private leaseLost = false;
  private fatal: unknown = null;
  private templates: { refinement: { id: string; body: string }; reasoning: { id: string; body: string } } | null = null;

  constructor(
    private readonly db: Db,
    private readonly jobId: string,
    private readonly model: string,
    budgetUsd: number,
    spentUsd: number,
    private readonly config: TStoredConfig,
    private readonly deps: TEngineDeps,
    private readonly context: JobContext,
    private readonly owner: string,
    private readonly timings: { leaseMs: number; watchdogSeconds: number; renewMs: number },
  ) {
    this.budget = new BudgetGuard(Number.isFinite(budgetUsd) ? budgetUsd : null, spentUsd);
  }

  async close(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    await this.syntax.close().catch(() => {});
  }

  async run(): Promise<TRunResult> {
    const tokenizer = await loadTokenizer(DEFAULT_TOKENIZER_ID);
    this.batcher = new AnalysisBatcher(this.db, { syntax: this.syntax, tokenizers: [tokenizer], useCodeql: this.config.useCodeql }, { maxBatch: this.config.concurrency, maxWaitMs: 300 });
    const [refinement, reasoning] = await Promise.all([
      this.db.promptTemplate.findUnique({ where: { id: this.config.templateIds.refinement }, select: { id: true, body: true } }),
      this.db.promptTemplate.findUnique({ where: { id: this.config.templateIds.reasoning }, select: { id: true, body: true } }),
    ]);
    if (!refinement || !reasoning) throw new Error("the job's refinement or reasoning template no longer exists");
    this.templates = { refinement, reasoning };

    await this.tick();
    this.ticker = setInterval(() => void this.tick().catch(() => {}), this.timings.renewMs);

    const queue = (
      await this.db.distillationPrompt.findMany({
        where: { jobId: this.jobId, status: { in: ["PLANNED", "SENT"] } },
        orderBy: { position: "asc" },
        select: { id: true },
      })
    ).map((row) => row.id);

    const worker = async () => {
      for (;;) {
        if (await this.shouldStop()) return;
        const promptId = queue.shift();
        if (!promptId) return;
        try {
          await this.processPrompt(promptId);
          this.processed++;
        } catch (error) {
          if (error instanceof BudgetExceededError) {
            this.stopReason ??= { status: "STOPPED", message: error.message };
            return;
          }
          if (error instanceof StopRunner) return;
          // Anything else (the database or the analyzers failing) stops the run; the job is retried by the queue and
          // continues from what was stored.
          this.fatal ??= error;
          return;
        }
      }
    };
    await Promise.all(Array.from({ length: this.config.concurrency }, worker));
    await this.batcher.drain().catch(() => {});
    if (this.ticker) clearInterval(this.ticker);
    await this.tick().catch(() => {});

    if (this.fatal) throw this.fatal;
    if (this.leaseLost) return { status: "RUNNING", reason: "lease taken over by another runner", processed: this.processed };
    if (this.stopReason) {
      const status = this.stopReason.status === "STOPPED" ? "PAUSED" : this.stopReason.status;
      if (this.stopReason.status === "STOPPED") {
        // The budget cap: paused with the reason, so raising the budget and resuming continues the same job.
        await this.db.distillationJob.updateMany({ where: { id: this.jobId, status: "RUNNING" }, data: { status: "PAUSED", error: this.stopReason.message } });
      } else if (status === "CANCELLED") {
        await this.db.distillationJob.updateMany({ where: { id: this.jobId }, data: { status: "CANCELLED", finishedAt: new Date() } });
      }
      return { status, reason: this.stopReason.message, processed: this.processed };
    }
    const left = await this.db.distillationPrompt.count({ where: { jobId: this.jobId, status: { in: ["PLANNED", "SENT"] } } });
    if (left === 0) {
      await this.db.distillationJob.updateMany({ where: { id: this.jobId, status: "RUNNING" }, data: { status: "SUCCEEDED", finishedAt: new Date() } });
      return { status: "SUCCEEDED", processed: this.processed };
    }
    return { status: "RUNNING", reason: `${left} prompts left`, processed: this.processed };
  }

  /** Renews the lease, keeps a watchdog queued and reports progress; runs every few seconds. */
  private async tick(): Promise<void> {
    if (!(await renewLease(this.db, this.jobId, this.owner, this.timings.leaseMs))) {
      this.leaseLost = true;
      return;
    }
    const counts = await this.db.distillationPrompt.groupBy({ by: ["status"], where: { jobId: this.jobId }, _count: { _all: true } });
    const by = Object.fromEntries(counts.map((row) => [row.status, row._count._all])) as Record<string, number>;
    const total = counts.reduce((sum, row) => sum + row._count._all, 0);
    const done = (by.PARSED ?? 0) + (by.FAILED ?? 0) + (by.SKIPPED ?? 0);
    await this.context.reportProgress(done, total, `${by.PARSED ?? 0} parsed, ${by.FAILED ?? 0} failed, $${this.budget.spentUsd.toFixed(4)} spent`);
  }

  private async shouldStop(): Promise<boolean> {
    if (this.stopReason || this.leaseLost || this.fatal) return true;
    if (Date.now() - this.lastStatusCheck < 500) return false;
    this.lastStatusCheck = Date.now();
    const job = await this.db.distillationJob.findUnique({ where: { id: this.jobId }, select: { status: true } });
    if (!job || job.status === "PAUSED") this.stopReason = { status: "PAUSED", message: "paused" };
    else if (job.status === "CANCELLED") this.stopReason = { status: "CANCELLED", message: "cancelled" };
    else if (await this.context.isCancelled()) {
      this.stopReason = { status: "CANCELLED", message: "the queue job was cancelled" };
    }
    return this.stopReason !== null;
  }

  // ── one prompt ──────────────────────────────────────────────────────────────────────────────────────────────────

  private async processPrompt(promptId: string): Promise<void> {
    const prompt = (await this.db.distillationPrompt.findUnique({
      where: { id: promptId },
      select: { id: true, position: true, text: true, status: true, entry: { select: { id: true, cweId: true, title: true, description: true } }, package: { select: { name: true } } },
    })) as PromptRow | null;
    if (!prompt || (prompt.status !== "PLANNED" && prompt.status !== "SENT")) return;
    const attempts: Attempt[] = await this.db.llmAttempt.findMany({
      where: { promptId },
      orderBy: { createdAt: "asc" },
      select: { id: true, purpose: true, round: true, rawResponse: true, error: true, pairId: true, createdAt: true },
    });

    let generation = attempts.find((attempt) => attempt.purpose === "GENERATE" && isStoredAnswer(attempt));
    if (!generation) {
      const messages: TChatMessage[] = [{ role: "user", content: prompt.text }];
      const sent = await this.send(prompt.id, null, "GENERATE", 0, messages);
      if (!sent.ok) {
        await this.db.distillationPrompt.update({ where: { id: prompt.id }, data: { status: "FAILED", error: sent.error } });
        return;
      }
      generation = sent.attempt;
    }

    let pairId = generation.pairId;
    if (!pairId) {
      const parsed = await this.deps.parseGeneration(answerText(generation.rawResponse!), {
        stripComments: this.config.stripComments,
        cweId: prompt.entry.cweId,
        issueTitle: prompt.entry.title,
      });
      if (!parsed.ok) {
        await this.db.$transaction([
          this.db.llmAttempt.update({ where: { id: generation.id }, data: { error: `unusable answer: ${parsed.error}` } }),
          this.db.distillationPrompt.update({ where: { id: prompt.id }, data: { status: "FAILED", error: `unusable answer: ${parsed.error}` } }),
        ]);
        return;
      }
      const created = await this.createPair(prompt, generation.id, parsed.record, parsed.flags);
      if (!created.ok) {
        await this.db.distillationPrompt.update({ where: { id: prompt.id }, data: { status: "SKIPPED", error: created.error } });
        return;
      }
      pairId = created.pairId;
    }
    await this.refine(prompt, pairId, attempts);
    await this.db.distillationPrompt.update({ where: { id: prompt.id }, data: { status: "PARSED", error: null } });
  }

  /** Analyzes the pair's current revision if needed, then refines while it is flagged and rounds remain. */
  private async refine(prompt: PromptRow, pairId: string, attempts: Attempt[]): Promise<void> {
    for (;;) {
      const pair = await this.db.pair.findUniqueOrThrow({
        where: { id: pairId },
        select: { id: true, revision: true, refinementRound: true, secureFlagged: true, secureCode: true, instruction: true, insecureCode: true, reasonInsecure: true, cweId: true },
      });
      const current = await this.db.pairRevision.findUniqueOrThrow({ where: { pairId_revision: { pairId, revision: pair.revision } }, select: { id: true, analyzedAt: true } });
      let flagged = pair.secureFlagged === true;
      if (!current.analyzedAt) flagged = (await this.batcher.analyze(pairId)).secureFlagged;
      const round = pair.refinementRound + 1;
      if (!flagged || round > this.config.rounds) return;

      let answer = attempts.find((attempt) => attempt.purpose === "REFINE" && attempt.round === round && attempt.rawResponse !== null);
      if (answer && answer.error) return; // this round's answer was unusable: the pair keeps its previous round
      if (!answer) {
        const feedback = await formatFeedback(this.db, current.id);
        const text = renderTemplate(this.templates!.refinement.body, {
          "SECURE CODE": pair.secureCode,
          "BANDIT FEEDBACK": feedback.bandit,
          "CODEQL FEEDBACK": feedback.codeql,
          ISSUE: prompt.entry.title,
          DESCRIPTION: prompt.entry.description,
          CWE: prompt.entry.cweId,
          PACKAGE: prompt.package?.name ?? null,
        });
        const sent = await this.send(prompt.id, pairId, "REFINE", round, [{ role: "user", content: text }]);
        if (!sent.ok) return; // the failed request is stored; the pair keeps its previous round
        answer = sent.attempt;
      }
      const parsed = await this.deps.parseRefinement(answerText(answer.rawResponse!), { stripComments: this.config.stripComments, previousCode: pair.secureCode });
      if (!parsed.ok) {
        await this.db.llmAttempt.update({ where: { id: answer.id }, data: { error: `unusable refinement: ${parsed.error}` } });
        return;
      }
      const reasoning = this.deps.buildReasoning(this.templates!.reasoning.body, {
        cweId: prompt.entry.cweId,
        issue: prompt.entry.title,
        description: prompt.entry.description,
        packageName: prompt.package?.name ?? null,
        reasonInsecure: pair.reasonInsecure,
        reasonSecure: parsed.reason,
      });
      const content = { instruction: pair.instruction, insecureCode: pair.insecureCode, secureCode: parsed.code, reasonInsecure: pair.reasonInsecure, reasonSecure: parsed.reason, reasoning, cweId: pair.cweId };
      const contentHash = pairContentHash(content);
      try {
        await this.db.$transaction([
          this.db.pairRevision.create({
            data: { pairId, revision: pair.revision + 1, ...content, contentHash, note: `distill round ${round}: refined with analyzer feedback (job ${this.jobId})` },
          }),
          this.db.pair.update({
            where: { id: pairId },
            data: {
              revision: pair.revision + 1,
              secureCode: parsed.code,
              reasonSecure: parsed.reason,
              reasoning,
              contentHash,
              refinementRound: round,
              refinementTemplateId: this.templates!.refinement.id,
              secureFlagged: null,
            },
          }),
        ]);
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
          await this.db.llmAttempt.update({ where: { id: answer.id }, data: { error: "refined code duplicates another pair of the dataset" } });
          return;
        }
        throw error;
      }
    }
  }

  private async createPair(
    prompt: PromptRow,
    attemptId: string,
    record: { instruction: string; insecureCode: string; secureCode: string; reasonInsecure: string; reasonSecure: string },
    flags: string[],
  ): Promise<{ ok: true; pairId: string } | { ok: false; error: string }> {
    const job = await this.db.distillationJob.findUniqueOrThrow({ where: { id: this.jobId }, select: { datasetId: true } });
    if (!job.datasetId) throw new Error("the job's target dataset was deleted");
    const reasoning = this.deps.buildReasoning(this.templates!.reasoning.body, {
      cweId: prompt.entry.cweId,
      issue: prompt.entry.title,
      description: prompt.entry.description,
      packageName: prompt.package?.name ?? null,
      reasonInsecure: record.reasonInsecure,
      reasonSecure: record.reasonSecure,
    });
    const content = { ...record, reasoning, cweId: prompt.entry.cweId };
    const contentHash = pairContentHash(content);
    const pairId = crypto.randomUUID();
    try {
      await this.db.$transaction([
        this.db.pair.create({
          data: {
            id: pairId,
            datasetId: job.datasetId,
            ...content,
            cweTitle: prompt.entry.title,
            entryId: prompt.entry.id,
            packageName: prompt.package?.name ?? null,
            source: `distill:${this.jobId}`,
            status: "UNREVIEWED",
            contentHash,
            tags: ["distilled", ...flags],
            distillationJobId: this.jobId,
            generationTemplateId: this.config.templateIds.generation,
            refinementRound: 0,
            revisions: { create: { revision: 1, ...content, contentHash, note: `distill round 0: generated by ${this.model} (job ${this.jobId}, prompt ${prompt.position})` } },
          },
        }),
        // The answer points at its pair in the same transaction: a rerun finds the pair instead of making another.
        this.db.llmAttempt.update({ where: { id: attemptId }, data: { pairId } }),
      ]);
      return { ok: true, pairId };
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
        const existing = await this.db.pair.findFirst({ where: { datasetId: job.datasetId, contentHash }, select: { id: true } });
        return { ok: false, error: `same content as pair ${existing?.id ?? "(unknown)"} already in the dataset` };
      }
      throw error;
    }
  }

  /**
   * One LLM request under the budget: reserve its worst case, send, and store the attempt (with its cost added to the
   * job's spend in the same transaction) before returning. A failed request is stored too, with its error.
   */
  private async send(
    promptId: string,
    pairId: string | null,
    purpose: "GENERATE" | "REFINE",
    round: number,
    messages: TChatMessage[],
  ): Promise<{ ok: true; attempt: Attempt } | { ok: false; error: string }> {
    if (await this.shouldStop()) throw new StopRunner();
    const reservation = this.budget.reserve(worstCaseCost(this.config.price, messages, this.config.maxTokens));
    if (purpose === "GENERATE") await this.db.distillationPrompt.update({ where: { id: promptId }, data: { status: "SENT" } });
    let result: TChatResult | null = null;
    let failure: LlmRequestError | Error | null = null;
    try {
      result = await this.deps.chat({ model: this.model, messages, temperature: this.config.temperature, maxTokens: this.config.maxTokens });
    } catch (error) {
      failure = error as Error;
    }
    const cost = result ? costOf(this.config.price, result.promptTokens, result.completionTokens) : 0;
    const requestBody = result?.requestBody ?? (failure instanceof LlmRequestError ? failure.requestBody : { model: this.model, messages, temperature: this.config.temperature, max_tokens: this.config.maxTokens });
    const errorText = failure ? `${failure instanceof LlmRequestError ? `${failure.kind} after ${failure.attempts} attempt(s): ` : ""}${failure.message}` : null;
    try {
      const [attempt] = await this.db.$transaction([
        this.db.llmAttempt.create({
          data: {
            jobId: this.jobId,
            promptId,
            pairId,
            purpose,
            round,
            model: this.model,
            request: requestBody as Prisma.InputJsonValue,
            rawResponse: result ? result.rawResponse : failure instanceof LlmRequestError ? failure.rawResponse : null,
            httpStatus: result ? result.httpStatus : failure instanceof LlmRequestError ? failure.status : null,
            error: errorText,
            promptTokens: result?.promptTokens ?? 0,
            completionTokens: result?.completionTokens ?? 0,
            costUsd: cost,
            latencyMs: result ? Math.round(result.latencyMs) : failure instanceof LlmRequestError && failure.latencyMs !== null ? Math.round(failure.latencyMs) : null,
          },
          select: { id: true, purpose: true, round: true, rawResponse: true, error: true, pairId: true, createdAt: true },
        }),
        // Atomic increment: the stored spend always equals the sum of the stored attempts' costs.
        this.db.distillationJob.update({ where: { id: this.jobId }, data: { spentUsd: { increment: cost } } }),
      ]);
      reservation.settle(cost);
      if (!result) return { ok: false, error: `LLM request failed: ${errorText}` };
      return { ok: true, attempt };
    } catch (error) {
      // Not stored: the reservation stays held (we cannot tell what it cost), and the run stops.
      throw error;
    }
  }
}
