-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ANNOTATOR', 'RESEARCHER', 'LEAD', 'ADMIN');

-- CreateEnum
CREATE TYPE "KnowledgeSource" AS ENUM ('CWE', 'CODEQL', 'BANDIT', 'CUSTOM');

-- CreateEnum
CREATE TYPE "TemplateKind" AS ENUM ('GENERATION', 'REFINEMENT', 'REASONING');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('QUEUED', 'RUNNING', 'PAUSED', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "PromptKind" AS ENUM ('SIMPLE', 'COMPLEX');

-- CreateEnum
CREATE TYPE "PromptStatus" AS ENUM ('PLANNED', 'SENT', 'PARSED', 'FAILED', 'SKIPPED');

-- CreateEnum
CREATE TYPE "AttemptPurpose" AS ENUM ('GENERATE', 'REFINE', 'EVAL_GENERATE');

-- CreateEnum
CREATE TYPE "PairStatus" AS ENUM ('UNREVIEWED', 'IN_REVIEW', 'ACCEPTED', 'REJECTED', 'CONFLICT');

-- CreateEnum
CREATE TYPE "CodeSide" AS ENUM ('INSECURE', 'SECURE', 'GENERATION');

-- CreateEnum
CREATE TYPE "ReviewDecision" AS ENUM ('ACCEPT', 'REJECT');

-- CreateEnum
CREATE TYPE "Split" AS ENUM ('TRAIN', 'VAL', 'TEST');

-- CreateEnum
CREATE TYPE "TrainingMethod" AS ENUM ('SFT', 'DPO', 'SIMPO', 'LPO', 'SAFECODER');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "BenchmarkKind" AS ENUM ('SECURITY', 'UTILITY');

-- CreateEnum
CREATE TYPE "ItemPromptKind" AS ENUM ('COMPLETION', 'DOCSTRING', 'INSTRUCTION');

-- CreateEnum
CREATE TYPE "ScoreKind" AS ENUM ('SECURITY', 'UTILITY');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'ANNOTATOR',
    "disabledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userAgent" TEXT,
    "ip" TEXT,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "login_attempts" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "login_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "knowledge_entries" (
    "id" UUID NOT NULL,
    "cweId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "examples" TEXT,
    "source" "KnowledgeSource" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "knowledge_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "packages" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "packages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "prompt_templates" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "TemplateKind" NOT NULL,
    "version" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "prompt_templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "llm_providers" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "baseUrl" TEXT NOT NULL,
    "apiKeyEncrypted" BYTEA,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "llm_providers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "distillation_jobs" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "providerId" UUID,
    "model" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "budgetUsd" DECIMAL(12,4),
    "spentUsd" DECIMAL(12,4) NOT NULL DEFAULT 0,
    "datasetId" UUID,
    "error" TEXT,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "distillation_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "distillation_prompts" (
    "id" UUID NOT NULL,
    "jobId" UUID NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" "PromptKind" NOT NULL,
    "entryId" UUID NOT NULL,
    "packageId" UUID,
    "text" TEXT NOT NULL,
    "status" "PromptStatus" NOT NULL DEFAULT 'PLANNED',
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "distillation_prompts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "llm_attempts" (
    "id" UUID NOT NULL,
    "jobId" UUID,
    "promptId" UUID,
    "pairId" UUID,
    "purpose" "AttemptPurpose" NOT NULL,
    "round" INTEGER NOT NULL DEFAULT 0,
    "model" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "rawResponse" TEXT,
    "httpStatus" INTEGER,
    "error" TEXT,
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DECIMAL(12,6) NOT NULL DEFAULT 0,
    "latencyMs" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "llm_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pairs" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "instruction" TEXT NOT NULL,
    "insecureCode" TEXT NOT NULL,
    "secureCode" TEXT NOT NULL,
    "reasonInsecure" TEXT NOT NULL DEFAULT '',
    "reasonSecure" TEXT NOT NULL DEFAULT '',
    "reasoning" TEXT NOT NULL DEFAULT '',
    "cweId" TEXT,
    "cweTitle" TEXT,
    "entryId" UUID,
    "packageName" TEXT,
    "language" TEXT NOT NULL DEFAULT 'python',
    "source" TEXT NOT NULL,
    "status" "PairStatus" NOT NULL DEFAULT 'UNREVIEWED',
    "revision" INTEGER NOT NULL DEFAULT 1,
    "contentHash" TEXT NOT NULL,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "secureFlagged" BOOLEAN,
    "insecureParseError" TEXT,
    "secureParseError" TEXT,
    "distillationJobId" UUID,
    "generationTemplateId" UUID,
    "refinementTemplateId" UUID,
    "refinementRound" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "pairs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pair_revisions" (
    "id" UUID NOT NULL,
    "pairId" UUID NOT NULL,
    "revision" INTEGER NOT NULL,
    "instruction" TEXT NOT NULL,
    "insecureCode" TEXT NOT NULL,
    "secureCode" TEXT NOT NULL,
    "reasonInsecure" TEXT NOT NULL,
    "reasonSecure" TEXT NOT NULL,
    "reasoning" TEXT NOT NULL,
    "cweId" TEXT,
    "contentHash" TEXT NOT NULL,
    "editedById" UUID,
    "note" TEXT,
    "analyzedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pair_revisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "findings" (
    "id" UUID NOT NULL,
    "pairId" UUID,
    "pairRevisionId" UUID,
    "generationId" UUID,
    "tool" TEXT NOT NULL,
    "toolVersion" TEXT,
    "ruleId" TEXT NOT NULL,
    "ruleName" TEXT NOT NULL,
    "cweId" TEXT,
    "severity" TEXT NOT NULL,
    "confidence" TEXT,
    "side" "CodeSide" NOT NULL,
    "startLine" INTEGER NOT NULL,
    "endLine" INTEGER NOT NULL,
    "startColumn" INTEGER,
    "endColumn" INTEGER,
    "message" TEXT NOT NULL,
    "duplicateOfId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "findings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "masks" (
    "id" UUID NOT NULL,
    "pairId" UUID NOT NULL,
    "pairRevisionId" UUID NOT NULL,
    "tokenizerId" TEXT NOT NULL,
    "insecureIds" INTEGER[],
    "secureIds" INTEGER[],
    "insecureMask" INTEGER[],
    "secureMask" INTEGER[],
    "insecureSpans" JSONB NOT NULL,
    "secureSpans" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "masks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reviews" (
    "id" UUID NOT NULL,
    "pairId" UUID NOT NULL,
    "reviewerId" UUID NOT NULL,
    "revision" INTEGER NOT NULL,
    "decision" "ReviewDecision" NOT NULL,
    "reasonCode" TEXT,
    "reasonText" TEXT,
    "isResolution" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reviews_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "review_assignments" (
    "pairId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "review_assignments_pkey" PRIMARY KEY ("pairId","userId")
);

-- CreateTable
CREATE TABLE "comments" (
    "id" UUID NOT NULL,
    "pairId" UUID NOT NULL,
    "authorId" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "comments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "datasets" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "reviewsRequired" INTEGER NOT NULL DEFAULT 1,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "datasets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset_versions" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "contentHash" TEXT NOT NULL,
    "splitConfig" JSONB NOT NULL,
    "excludedCwes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "selection" JSONB NOT NULL,
    "pairCount" INTEGER NOT NULL,
    "statistics" JSONB,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dataset_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset_version_items" (
    "versionId" UUID NOT NULL,
    "pairId" UUID NOT NULL,
    "pairRevision" INTEGER NOT NULL,
    "split" "Split" NOT NULL,
    "contentHash" TEXT NOT NULL,

    CONSTRAINT "dataset_version_items_pkey" PRIMARY KEY ("versionId","pairId")
);

-- CreateTable
CREATE TABLE "registered_models" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "architecture" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "tokenizerId" TEXT NOT NULL,
    "parameters" BIGINT,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "registered_models_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runs" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "method" "TrainingMethod" NOT NULL,
    "preset" TEXT,
    "config" JSONB NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "error" TEXT,
    "datasetVersionId" UUID,
    "baseModelId" UUID,
    "parentRunId" UUID,
    "backend" TEXT,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_points" (
    "runId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "loggedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "metric_points_pkey" PRIMARY KEY ("runId","name","step")
);

-- CreateTable
CREATE TABLE "run_logs" (
    "id" BIGSERIAL NOT NULL,
    "runId" UUID NOT NULL,
    "level" TEXT NOT NULL DEFAULT 'info',
    "message" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_logs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "checkpoints" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "step" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "isFinal" BOOLEAN NOT NULL DEFAULT false,
    "sizeBytes" BIGINT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "checkpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "benchmarks" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "BenchmarkKind" NOT NULL,
    "format" TEXT NOT NULL,
    "sourceFile" TEXT,
    "sourceHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "benchmarks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "benchmark_items" (
    "id" UUID NOT NULL,
    "benchmarkId" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "promptKind" "ItemPromptKind" NOT NULL,
    "prompt" TEXT NOT NULL,
    "cweId" TEXT,
    "entryPoint" TEXT,
    "tests" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "benchmark_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evaluations" (
    "id" UUID NOT NULL,
    "benchmarkId" UUID NOT NULL,
    "runId" UUID,
    "modelId" UUID,
    "checkpointId" UUID,
    "frontierModel" TEXT,
    "decoding" JSONB NOT NULL,
    "samplesPerItem" INTEGER NOT NULL,
    "benchmarkHash" TEXT NOT NULL,
    "analyzerVersions" JSONB NOT NULL DEFAULT '{}',
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "error" TEXT,
    "summary" JSONB,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "evaluations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "generations" (
    "id" UUID NOT NULL,
    "evaluationId" UUID NOT NULL,
    "itemId" UUID NOT NULL,
    "sampleIndex" INTEGER NOT NULL,
    "rawText" TEXT NOT NULL,
    "extractedCode" TEXT,
    "isValid" BOOLEAN,
    "parseError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "generations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scores" (
    "id" UUID NOT NULL,
    "generationId" UUID NOT NULL,
    "kind" "ScoreKind" NOT NULL,
    "passed" BOOLEAN,
    "issueCount" INTEGER,
    "exitCode" INTEGER,
    "durationMs" INTEGER,
    "detail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "scores_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "actorId" UUID,
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_progress" (
    "jobId" UUID NOT NULL,
    "queue" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER,
    "message" TEXT,
    "result" JSONB,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "job_progress_pkey" PRIMARY KEY ("jobId")
);

-- CreateTable
CREATE TABLE "worker_heartbeats" (
    "id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "queues" TEXT[],
    "backend" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "worker_heartbeats_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "sessions_userId_idx" ON "sessions"("userId");

-- CreateIndex
CREATE INDEX "sessions_expiresAt_idx" ON "sessions"("expiresAt");

-- CreateIndex
CREATE INDEX "login_attempts_key_createdAt_idx" ON "login_attempts"("key", "createdAt");

-- CreateIndex
CREATE INDEX "knowledge_entries_cweId_idx" ON "knowledge_entries"("cweId");

-- CreateIndex
CREATE UNIQUE INDEX "knowledge_entries_source_cweId_title_key" ON "knowledge_entries"("source", "cweId", "title");

-- CreateIndex
CREATE UNIQUE INDEX "packages_name_key" ON "packages"("name");

-- CreateIndex
CREATE UNIQUE INDEX "prompt_templates_name_version_key" ON "prompt_templates"("name", "version");

-- CreateIndex
CREATE UNIQUE INDEX "llm_providers_name_key" ON "llm_providers"("name");

-- CreateIndex
CREATE INDEX "distillation_jobs_status_idx" ON "distillation_jobs"("status");

-- CreateIndex
CREATE UNIQUE INDEX "distillation_prompts_idempotencyKey_key" ON "distillation_prompts"("idempotencyKey");

-- CreateIndex
CREATE INDEX "distillation_prompts_jobId_status_idx" ON "distillation_prompts"("jobId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "distillation_prompts_jobId_position_key" ON "distillation_prompts"("jobId", "position");

-- CreateIndex
CREATE INDEX "llm_attempts_jobId_createdAt_idx" ON "llm_attempts"("jobId", "createdAt");

-- CreateIndex
CREATE INDEX "llm_attempts_promptId_idx" ON "llm_attempts"("promptId");

-- CreateIndex
CREATE INDEX "pairs_datasetId_status_idx" ON "pairs"("datasetId", "status");

-- CreateIndex
CREATE INDEX "pairs_cweId_idx" ON "pairs"("cweId");

-- CreateIndex
CREATE INDEX "pairs_source_idx" ON "pairs"("source");

-- CreateIndex
CREATE INDEX "pairs_packageName_idx" ON "pairs"("packageName");

-- CreateIndex
CREATE INDEX "pairs_createdAt_idx" ON "pairs"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "pairs_datasetId_contentHash_key" ON "pairs"("datasetId", "contentHash");

-- CreateIndex
CREATE UNIQUE INDEX "pair_revisions_pairId_revision_key" ON "pair_revisions"("pairId", "revision");

-- CreateIndex
CREATE INDEX "findings_pairRevisionId_side_idx" ON "findings"("pairRevisionId", "side");

-- CreateIndex
CREATE INDEX "findings_pairId_idx" ON "findings"("pairId");

-- CreateIndex
CREATE INDEX "findings_generationId_idx" ON "findings"("generationId");

-- CreateIndex
CREATE INDEX "findings_cweId_idx" ON "findings"("cweId");

-- CreateIndex
CREATE INDEX "masks_pairId_tokenizerId_idx" ON "masks"("pairId", "tokenizerId");

-- CreateIndex
CREATE UNIQUE INDEX "masks_pairRevisionId_tokenizerId_key" ON "masks"("pairRevisionId", "tokenizerId");

-- CreateIndex
CREATE INDEX "reviews_reviewerId_createdAt_idx" ON "reviews"("reviewerId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "reviews_pairId_reviewerId_isResolution_key" ON "reviews"("pairId", "reviewerId", "isResolution");

-- CreateIndex
CREATE INDEX "review_assignments_userId_idx" ON "review_assignments"("userId");

-- CreateIndex
CREATE INDEX "comments_pairId_createdAt_idx" ON "comments"("pairId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "datasets_name_key" ON "datasets"("name");

-- CreateIndex
CREATE UNIQUE INDEX "dataset_versions_datasetId_version_key" ON "dataset_versions"("datasetId", "version");

-- CreateIndex
CREATE INDEX "dataset_version_items_versionId_split_idx" ON "dataset_version_items"("versionId", "split");

-- CreateIndex
CREATE UNIQUE INDEX "registered_models_name_key" ON "registered_models"("name");

-- CreateIndex
CREATE INDEX "runs_status_idx" ON "runs"("status");

-- CreateIndex
CREATE INDEX "runs_method_idx" ON "runs"("method");

-- CreateIndex
CREATE INDEX "runs_createdAt_idx" ON "runs"("createdAt");

-- CreateIndex
CREATE INDEX "run_logs_runId_id_idx" ON "run_logs"("runId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "checkpoints_runId_step_key" ON "checkpoints"("runId", "step");

-- CreateIndex
CREATE UNIQUE INDEX "benchmarks_name_key" ON "benchmarks"("name");

-- CreateIndex
CREATE UNIQUE INDEX "benchmark_items_benchmarkId_externalId_key" ON "benchmark_items"("benchmarkId", "externalId");

-- CreateIndex
CREATE INDEX "evaluations_benchmarkId_idx" ON "evaluations"("benchmarkId");

-- CreateIndex
CREATE INDEX "evaluations_runId_idx" ON "evaluations"("runId");

-- CreateIndex
CREATE UNIQUE INDEX "generations_evaluationId_itemId_sampleIndex_key" ON "generations"("evaluationId", "itemId", "sampleIndex");

-- CreateIndex
CREATE UNIQUE INDEX "scores_generationId_kind_key" ON "scores"("generationId", "kind");

-- CreateIndex
CREATE INDEX "audit_log_entityType_entityId_idx" ON "audit_log"("entityType", "entityId");

-- CreateIndex
CREATE INDEX "audit_log_actorId_createdAt_idx" ON "audit_log"("actorId", "createdAt");

-- CreateIndex
CREATE INDEX "job_progress_queue_createdAt_idx" ON "job_progress"("queue", "createdAt");

-- CreateIndex
CREATE INDEX "worker_heartbeats_lastSeenAt_idx" ON "worker_heartbeats"("lastSeenAt");

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prompt_templates" ADD CONSTRAINT "prompt_templates_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "llm_providers" ADD CONSTRAINT "llm_providers_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "distillation_jobs" ADD CONSTRAINT "distillation_jobs_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "llm_providers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "distillation_jobs" ADD CONSTRAINT "distillation_jobs_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "datasets"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "distillation_jobs" ADD CONSTRAINT "distillation_jobs_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "distillation_prompts" ADD CONSTRAINT "distillation_prompts_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "distillation_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "distillation_prompts" ADD CONSTRAINT "distillation_prompts_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "knowledge_entries"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "distillation_prompts" ADD CONSTRAINT "distillation_prompts_packageId_fkey" FOREIGN KEY ("packageId") REFERENCES "packages"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "llm_attempts" ADD CONSTRAINT "llm_attempts_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "distillation_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "llm_attempts" ADD CONSTRAINT "llm_attempts_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "distillation_prompts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "llm_attempts" ADD CONSTRAINT "llm_attempts_pairId_fkey" FOREIGN KEY ("pairId") REFERENCES "pairs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pairs" ADD CONSTRAINT "pairs_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pairs" ADD CONSTRAINT "pairs_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "knowledge_entries"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pairs" ADD CONSTRAINT "pairs_distillationJobId_fkey" FOREIGN KEY ("distillationJobId") REFERENCES "distillation_jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pairs" ADD CONSTRAINT "pairs_generationTemplateId_fkey" FOREIGN KEY ("generationTemplateId") REFERENCES "prompt_templates"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pairs" ADD CONSTRAINT "pairs_refinementTemplateId_fkey" FOREIGN KEY ("refinementTemplateId") REFERENCES "prompt_templates"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pair_revisions" ADD CONSTRAINT "pair_revisions_pairId_fkey" FOREIGN KEY ("pairId") REFERENCES "pairs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pair_revisions" ADD CONSTRAINT "pair_revisions_editedById_fkey" FOREIGN KEY ("editedById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "findings" ADD CONSTRAINT "findings_pairId_fkey" FOREIGN KEY ("pairId") REFERENCES "pairs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "findings" ADD CONSTRAINT "findings_pairRevisionId_fkey" FOREIGN KEY ("pairRevisionId") REFERENCES "pair_revisions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "findings" ADD CONSTRAINT "findings_generationId_fkey" FOREIGN KEY ("generationId") REFERENCES "generations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "masks" ADD CONSTRAINT "masks_pairId_fkey" FOREIGN KEY ("pairId") REFERENCES "pairs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "masks" ADD CONSTRAINT "masks_pairRevisionId_fkey" FOREIGN KEY ("pairRevisionId") REFERENCES "pair_revisions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_pairId_fkey" FOREIGN KEY ("pairId") REFERENCES "pairs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_reviewerId_fkey" FOREIGN KEY ("reviewerId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_assignments" ADD CONSTRAINT "review_assignments_pairId_fkey" FOREIGN KEY ("pairId") REFERENCES "pairs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_assignments" ADD CONSTRAINT "review_assignments_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "comments" ADD CONSTRAINT "comments_pairId_fkey" FOREIGN KEY ("pairId") REFERENCES "pairs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "comments" ADD CONSTRAINT "comments_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "datasets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_version_items" ADD CONSTRAINT "dataset_version_items_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "dataset_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_version_items" ADD CONSTRAINT "dataset_version_items_pairId_fkey" FOREIGN KEY ("pairId") REFERENCES "pairs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_datasetVersionId_fkey" FOREIGN KEY ("datasetVersionId") REFERENCES "dataset_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_baseModelId_fkey" FOREIGN KEY ("baseModelId") REFERENCES "registered_models"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_parentRunId_fkey" FOREIGN KEY ("parentRunId") REFERENCES "runs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_points" ADD CONSTRAINT "metric_points_runId_fkey" FOREIGN KEY ("runId") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_logs" ADD CONSTRAINT "run_logs_runId_fkey" FOREIGN KEY ("runId") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkpoints" ADD CONSTRAINT "checkpoints_runId_fkey" FOREIGN KEY ("runId") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "benchmark_items" ADD CONSTRAINT "benchmark_items_benchmarkId_fkey" FOREIGN KEY ("benchmarkId") REFERENCES "benchmarks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_benchmarkId_fkey" FOREIGN KEY ("benchmarkId") REFERENCES "benchmarks"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_runId_fkey" FOREIGN KEY ("runId") REFERENCES "runs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "registered_models"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_checkpointId_fkey" FOREIGN KEY ("checkpointId") REFERENCES "checkpoints"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "generations" ADD CONSTRAINT "generations_evaluationId_fkey" FOREIGN KEY ("evaluationId") REFERENCES "evaluations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "generations" ADD CONSTRAINT "generations_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "benchmark_items"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scores" ADD CONSTRAINT "scores_generationId_fkey" FOREIGN KEY ("generationId") REFERENCES "generations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hand-written (Prisma's schema language cannot express these):

-- A finding belongs to exactly one pair revision or one generation.
ALTER TABLE "findings" ADD CONSTRAINT "findings_one_owner_check"
  CHECK ((("pairRevisionId" IS NOT NULL)::int + ("generationId" IS NOT NULL)::int) = 1);

-- Masks are 0/1 per token and as long as their token ids.
ALTER TABLE "masks" ADD CONSTRAINT "masks_lengths_check"
  CHECK (cardinality("insecureMask") = cardinality("insecureIds") AND cardinality("secureMask") = cardinality("secureIds"));

ALTER TABLE "datasets" ADD CONSTRAINT "datasets_reviews_required_check" CHECK ("reviewsRequired" BETWEEN 1 AND 10);
ALTER TABLE "pairs" ADD CONSTRAINT "pairs_revision_check" CHECK ("revision" >= 1);

-- Frozen dataset versions are immutable: their items can be neither changed nor removed, so a run's training data
-- stays exactly what its content hash says (unless the whole version is deleted on purpose, see the flag below).
CREATE FUNCTION "refuse_dataset_version_item_change"() RETURNS trigger AS $$
BEGIN
  -- Deleting a whole version (an admin's explicit act) sets this flag for its own transaction only.
  IF TG_OP = 'DELETE' AND current_setting('disco.allow_version_delete', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'dataset version items are immutable (version %)', OLD."versionId";
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "dataset_version_items_immutable"
  BEFORE UPDATE OR DELETE ON "dataset_version_items"
  FOR EACH ROW EXECUTE FUNCTION "refuse_dataset_version_item_change"();
