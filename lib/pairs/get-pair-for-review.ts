// Everything the review page shows for one pair: the current revision's code and texts, its findings on both sides,
// the masks under one tokenizer as character spans, the revision history, comments, reviews and the knowledge-base
// entry of its CWE. Others' decisions stay hidden from an annotator until they have decided themselves, so the
// independent reviews the workflow counts on stay independent.
import type { Db } from "../db/client";
import { hasPermission, type TRole } from "../auth/roles";
import { computePairMasks } from "../masks/mask-spans";
import { loadTokenizer } from "../tokenizers/registry";
import { PairNotFoundError } from "./review-errors";

export type TReviewViewer = { id: string; role: TRole };
export type TCharSpan = [start: number, end: number];

function toSpans(value: unknown): TCharSpan[] {
  if (!Array.isArray(value)) return [];
  return value.filter((span): span is TCharSpan => Array.isArray(span) && span.length === 2 && span.every((n) => typeof n === "number"));
}

export async function getPairForReview(db: Db, pairId: string, tokenizerId: string, viewer?: TReviewViewer) {
  const pair = await db.pair.findUnique({
    where: { id: pairId },
    include: { dataset: { select: { id: true, name: true, reviewsRequired: true } }, entry: true },
  });
  if (!pair) throw new PairNotFoundError(pairId);
  const revisions = await db.pairRevision.findMany({
    where: { pairId },
    orderBy: { revision: "desc" },
    include: { editedBy: { select: { id: true, name: true, email: true } } },
  });
  const current = revisions.find((revision) => revision.revision === pair.revision) ?? null;
  const [findings, masks, comments, reviews] = await Promise.all([
    current
      ? db.finding.findMany({ where: { pairRevisionId: current.id }, orderBy: [{ side: "asc" }, { startLine: "asc" }, { ruleId: "asc" }] })
      : Promise.resolve([]),
    current ? db.mask.findMany({ where: { pairRevisionId: current.id }, select: { tokenizerId: true, insecureSpans: true, secureSpans: true, insecureMask: true, secureMask: true } }) : Promise.resolve([]),
    db.comment.findMany({ where: { pairId }, orderBy: { createdAt: "asc" }, include: { author: { select: { id: true, name: true, email: true } } } }),
    db.review.findMany({ where: { pairId }, orderBy: { createdAt: "asc" }, include: { reviewer: { select: { id: true, name: true, email: true } } } }),
  ]);
  const entry =
    pair.entry ?? (pair.cweId ? await db.knowledgeEntry.findFirst({ where: { cweId: pair.cweId }, orderBy: [{ source: "asc" }, { title: "asc" }] }) : null);

  const stored = masks.find((row) => row.tokenizerId === tokenizerId) ?? null;
  // A tokenizer the analysis did not store masks for is computed here for display only (one pair is milliseconds),
  // so switching tokenizers never shows an empty page; the stored masks stay the ones training uses.
  let maskError: string | null = null;
  let mask: { tokenizerId: string; insecureSpans: unknown; secureSpans: unknown; insecureMask: number[]; secureMask: number[]; stored: boolean } | null = stored
    ? { ...stored, stored: true }
    : null;
  if (!mask && current) {
    try {
      const computed = computePairMasks(await loadTokenizer(tokenizerId), current.insecureCode, current.secureCode);
      mask = {
        tokenizerId,
        insecureSpans: computed.insecure.charSpans,
        secureSpans: computed.secure.charSpans,
        insecureMask: Array.from(computed.insecure.mask),
        secureMask: Array.from(computed.secure.mask),
        stored: false,
      };
    } catch (error) {
      maskError = `no masks for tokenizer "${tokenizerId}": ${(error as Error).message}`;
    }
  }
  const myReview = viewer ? (reviews.find((review) => review.reviewerId === viewer.id && !review.isResolution) ?? null) : null;
  const maySeeOthers = !viewer || Boolean(myReview) || hasPermission(viewer.role, "reviews:resolve");
  const visibleReviews = maySeeOthers ? reviews : reviews.filter((review) => review.reviewerId === viewer?.id);
  const toFinding = (finding: (typeof findings)[number]) => ({
    id: finding.id,
    tool: finding.tool,
    ruleId: finding.ruleId,
    ruleName: finding.ruleName,
    cweId: finding.cweId,
    severity: finding.severity,
    confidence: finding.confidence,
    startLine: finding.startLine,
    endLine: finding.endLine,
    startColumn: finding.startColumn,
    endColumn: finding.endColumn,
    message: finding.message,
    duplicateOfId: finding.duplicateOfId,
  });

  return {
    pair: {
      id: pair.id,
      dataset: pair.dataset,
      instruction: pair.instruction,
      insecureCode: pair.insecureCode,
      secureCode: pair.secureCode,
      reasonInsecure: pair.reasonInsecure,
      reasonSecure: pair.reasonSecure,
      reasoning: pair.reasoning,
      cweId: pair.cweId,
      cweTitle: pair.cweTitle,
      packageName: pair.packageName,
      language: pair.language,
      source: pair.source,
      status: pair.status,
      revision: pair.revision,
      tags: pair.tags,
      secureFlagged: pair.secureFlagged,
      insecureParseError: pair.insecureParseError,
      secureParseError: pair.secureParseError,
      createdAt: pair.createdAt.toISOString(),
      updatedAt: pair.updatedAt.toISOString(),
    },
    analyzedAt: current?.analyzedAt?.toISOString() ?? null,
    findings: {
      insecure: findings.filter((finding) => finding.side === "INSECURE").map(toFinding),
      secure: findings.filter((finding) => finding.side === "SECURE").map(toFinding),
    },
    tokenizerId,
    availableTokenizers: masks.map((row) => row.tokenizerId).sort(),
    masks: mask
      ? {
          tokenizerId: mask.tokenizerId,
          insecureSpans: toSpans(mask.insecureSpans),
          secureSpans: toSpans(mask.secureSpans),
          insecureMasked: mask.insecureMask.reduce((sum, bit) => sum + bit, 0),
          insecureTokens: mask.insecureMask.length,
          secureMasked: mask.secureMask.reduce((sum, bit) => sum + bit, 0),
          secureTokens: mask.secureMask.length,
          stored: mask.stored,
        }
      : null,
    maskError,
    revisions: revisions.map((revision) => ({
      revision: revision.revision,
      editedBy: revision.editedBy,
      note: revision.note,
      contentHash: revision.contentHash,
      analyzedAt: revision.analyzedAt?.toISOString() ?? null,
      createdAt: revision.createdAt.toISOString(),
    })),
    comments: comments.map((comment) => ({ id: comment.id, body: comment.body, author: comment.author, createdAt: comment.createdAt.toISOString() })),
    reviews: visibleReviews.map((review) => ({
      id: review.id,
      reviewer: review.reviewer,
      revision: review.revision,
      decision: review.decision,
      reasonCode: review.reasonCode,
      reasonText: review.reasonText,
      isResolution: review.isResolution,
      createdAt: review.createdAt.toISOString(),
    })),
    hiddenReviews: reviews.length - visibleReviews.length,
    myReview: myReview ? { decision: myReview.decision, reasonCode: myReview.reasonCode, reasonText: myReview.reasonText, revision: myReview.revision } : null,
    knowledgeEntry: entry ? { id: entry.id, cweId: entry.cweId, title: entry.title, description: entry.description, source: entry.source } : null,
  };
}

export type TPairForReview = Awaited<ReturnType<typeof getPairForReview>>;
