// The review domain against the real test database: decisions and the status they imply, optimistic concurrency on
// edits (a stale save changes nothing and returns the other revision), re-analysis of an edit with the real Bandit,
// what the review page reads, and comments. Everything here is audited.
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../db/client";
import { createFixtures, type TestUser } from "../testing/fixtures";
import { analyzePairs } from "../analysis/analyze-pairs";
import { PythonSyntaxChecker } from "../python/syntax-checker";
import { DEFAULT_TOKENIZER_ID, loadTokenizer } from "../tokenizers/registry";
import { addComment } from "./add-comment";
import { editPair } from "./edit-pair";
import { getPairForReview } from "./get-pair-for-review";
import { recordDecision, statusFromDecisions } from "./record-decision";
import { PairConflictError } from "./review-errors";
import { createTestDataset } from "./test-pairs";

const hasBandit = spawnSync("bandit", ["--version"]).status === 0;
if (!hasBandit) console.warn("review analysis tests skipped: bandit is not installed (npm test installs it as root)");

const db = getDb();
const fixtures = createFixtures();
let single: Awaited<ReturnType<typeof createTestDataset>>;
let double: Awaited<ReturnType<typeof createTestDataset>>;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;

const INSECURE = `import subprocess\n\n\ndef ping(host):\n    return subprocess.run(f"ping -c 1 {host}", shell=True).returncode\n`;
const FLAGGED_SECURE = `import shlex\nimport subprocess\n\n\ndef ping(host):\n    return subprocess.run(f"ping -c 1 {shlex.quote(host)}", shell=True).returncode\n`;
const CLEAN_SECURE = `import subprocess\n\n\ndef ping(host):\n    return subprocess.run(["ping", "-c", "1", host]).returncode\n`;

let counter = 0;
const newPair = (dataset: typeof single, secureCode = FLAGGED_SECURE) =>
  dataset.pair({ instruction: `Ping a host ${fixtures.tag} ${counter++}`, insecureCode: INSECURE, secureCode, cweId: "CWE-78" });

beforeAll(async () => {
  single = await createTestDataset(`review-test-1-${fixtures.tag}`, 1);
  double = await createTestDataset(`review-test-2-${fixtures.tag}`, 2);
  [alice, bob, carol] = [await fixtures.user("ANNOTATOR"), await fixtures.user("ANNOTATOR"), await fixtures.user("LEAD")];
});

afterAll(async () => {
  await single.remove();
  await double.remove();
  await fixtures.cleanup();
});

describe("statusFromDecisions", () => {
  it("follows the dataset's number of required reviews", () => {
    expect(statusFromDecisions([], 2)).toBe("UNREVIEWED");
    expect(statusFromDecisions(["ACCEPT"], 2)).toBe("IN_REVIEW");
    expect(statusFromDecisions(["ACCEPT", "ACCEPT"], 2)).toBe("ACCEPTED");
    expect(statusFromDecisions(["REJECT", "REJECT"], 2)).toBe("REJECTED");
    expect(statusFromDecisions(["ACCEPT", "REJECT"], 2)).toBe("CONFLICT");
    expect(statusFromDecisions(["ACCEPT"], 1)).toBe("ACCEPTED");
    expect(statusFromDecisions(["ACCEPT", "REJECT"], 2, "REJECT")).toBe("REJECTED");
  });
});

describe("recordDecision", () => {
  it("one review per reviewer; the status waits for N agreeing decisions and turns CONFLICT on disagreement", async () => {
    const pair = await newPair(double);
    const first = await recordDecision(db, { pairId: pair.id, userId: alice.id, decision: "ACCEPT", revision: 1 });
    expect(first.status).toBe("IN_REVIEW");
    const second = await recordDecision(db, { pairId: pair.id, userId: bob.id, decision: "REJECT", reasonCode: "still_insecure", reasonText: "shell=True stays", revision: 1 });
    expect(second.status).toBe("CONFLICT");
    // Bob changes his mind: his review is replaced, not duplicated.
    const third = await recordDecision(db, { pairId: pair.id, userId: bob.id, decision: "ACCEPT", revision: 1 });
    expect(third.status).toBe("ACCEPTED");
    const reviews = await db.review.findMany({ where: { pairId: pair.id } });
    expect(reviews).toHaveLength(2);
    expect(reviews.find((review) => review.reviewerId === bob.id)).toMatchObject({ decision: "ACCEPT", reasonCode: null });
    expect((await db.pair.findUniqueOrThrow({ where: { id: pair.id } })).status).toBe("ACCEPTED");
    const audit = await db.auditLog.findMany({ where: { entityId: pair.id, action: "pair.review" }, orderBy: { id: "asc" } });
    expect(audit.map((entry) => [entry.actorId, (entry.detail as { decision: string }).decision])).toEqual([
      [alice.id, "ACCEPT"],
      [bob.id, "REJECT"],
      [bob.id, "ACCEPT"],
    ]);
  });

  it("refuses a rejection without a reason and a decision on a stale revision, changing nothing", async () => {
    const pair = await newPair(single);
    await expect(recordDecision(db, { pairId: pair.id, userId: alice.id, decision: "REJECT", revision: 1 })).rejects.toThrow(/reason code/);
    await expect(recordDecision(db, { pairId: pair.id, userId: alice.id, decision: "ACCEPT", revision: 2 })).rejects.toBeInstanceOf(PairConflictError);
    expect(await db.review.count({ where: { pairId: pair.id } })).toBe(0);
    expect((await db.pair.findUniqueOrThrow({ where: { id: pair.id } })).status).toBe("UNREVIEWED");
  });
});

describe("editPair", () => {
  it("a stale save is refused with the other person's revision, and nothing is written", async () => {
    const pair = await newPair(single);
    const saved = await editPair(db, { pairId: pair.id, userId: alice.id, expectedRevision: 1, changes: { reasonSecure: "Alice's reason" } }, { analyze: false });
    expect(saved).toMatchObject({ revision: 2, changedFields: ["reasonSecure"] });
    const before = await db.pair.findUniqueOrThrow({ where: { id: pair.id } });
    const error = await editPair(db, { pairId: pair.id, userId: bob.id, expectedRevision: 1, changes: { secureCode: CLEAN_SECURE } }, { analyze: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PairConflictError);
    const conflict = error as PairConflictError;
    expect(conflict.message).toMatch(/revision 2/);
    expect(conflict.current).toMatchObject({ revision: 2, reasonSecure: "Alice's reason", secureCode: FLAGGED_SECURE, editedBy: { id: alice.id } });
    expect(await db.pair.findUniqueOrThrow({ where: { id: pair.id } })).toEqual(before);
    expect(await db.pairRevision.count({ where: { pairId: pair.id } })).toBe(2);
  });

  it("creates revision n+1 with a new content hash, resets the decisions, and is audited", async () => {
    const pair = await newPair(single);
    await recordDecision(db, { pairId: pair.id, userId: alice.id, decision: "ACCEPT", revision: 1 });
    const result = await editPair(db, { pairId: pair.id, userId: bob.id, expectedRevision: 1, changes: { secureCode: CLEAN_SECURE, instruction: "Ping one host" } }, { analyze: false });
    expect(result.changedFields.sort()).toEqual(["instruction", "secureCode"]);
    const after = await db.pair.findUniqueOrThrow({ where: { id: pair.id } });
    expect(after).toMatchObject({ revision: 2, secureCode: CLEAN_SECURE, instruction: "Ping one host", status: "UNREVIEWED" });
    expect(after.contentHash).not.toBe(pair.contentHash);
    const revisions = await db.pairRevision.findMany({ where: { pairId: pair.id }, orderBy: { revision: "asc" } });
    expect(revisions.map((revision) => [revision.revision, revision.secureCode, revision.editedById])).toEqual([
      [1, FLAGGED_SECURE, null],
      [2, CLEAN_SECURE, bob.id],
    ]);
    const audit = await db.auditLog.findFirstOrThrow({ where: { entityId: pair.id, action: "pair.edit" } });
    expect(audit.actorId).toBe(bob.id);
    expect(audit.detail).toMatchObject({ fromRevision: 1, revision: 2 });
  });

  it("rejects an empty change and an empty secure code", async () => {
    const pair = await newPair(single);
    await expect(editPair(db, { pairId: pair.id, userId: alice.id, expectedRevision: 1, changes: {} }, { analyze: false })).rejects.toThrow(/nothing to change/);
    await expect(editPair(db, { pairId: pair.id, userId: alice.id, expectedRevision: 1, changes: { secureCode: "" } }, { analyze: false })).rejects.toThrow(/cannot be empty/);
    expect(await db.pairRevision.count({ where: { pairId: pair.id } })).toBe(1);
  });

  it.skipIf(!hasBandit)("re-analyzes the new revision: removing shell=True clears B602 on the secure side", async () => {
    const pair = await newPair(single);
    const syntax = new PythonSyntaxChecker();
    try {
      await analyzePairs(db, [pair.id], { syntax, tokenizers: [await loadTokenizer(DEFAULT_TOKENIZER_ID)] });
    } finally {
      await syntax.close();
    }
    const before = await getPairForReview(db, pair.id, DEFAULT_TOKENIZER_ID);
    expect(before.findings.secure.map((finding) => finding.ruleId)).toContain("B602");
    expect(before.pair.secureFlagged).toBe(true);
    expect(before.masks!.insecureSpans.length).toBeGreaterThan(0);
    expect(before.masks!.secureSpans.length).toBeGreaterThan(0);

    const result = await editPair(db, { pairId: pair.id, userId: alice.id, expectedRevision: 1, changes: { secureCode: CLEAN_SECURE } });
    expect(result.analysisError).toBeNull();
    const after = await getPairForReview(db, pair.id, DEFAULT_TOKENIZER_ID);
    expect(after.pair.revision).toBe(2);
    expect(after.findings.secure.map((finding) => finding.ruleId)).not.toContain("B602");
    expect(after.findings.insecure.map((finding) => finding.ruleId)).toContain("B602");
    // Bandit still reports low-severity rules (B404 import subprocess, B603): the flag follows the remaining findings.
    expect(after.pair.secureFlagged).toBe(after.findings.secure.some((finding) => !finding.duplicateOfId));
    expect(after.analyzedAt).not.toBeNull();
    // The spans point into the new secure code: the masked text is part of what changed.
    const maskedSecure = after.masks!.secureSpans.map(([start, end]) => CLEAN_SECURE.slice(start, end)).join("");
    expect(maskedSecure).toMatch(/\[|"ping"|host/);
  });
});

describe("getPairForReview and comments", () => {
  it("hides others' decisions from an annotator until they decide; a lead sees them", async () => {
    const pair = await newPair(double);
    await recordDecision(db, { pairId: pair.id, userId: alice.id, decision: "REJECT", reasonCode: "not_equivalent", revision: 1 });
    const forBob = await getPairForReview(db, pair.id, DEFAULT_TOKENIZER_ID, { id: bob.id, role: "ANNOTATOR" });
    expect(forBob.reviews).toHaveLength(0);
    expect(forBob.hiddenReviews).toBe(1);
    const forLead = await getPairForReview(db, pair.id, DEFAULT_TOKENIZER_ID, { id: carol.id, role: "LEAD" });
    expect(forLead.reviews.map((review) => review.reasonCode)).toEqual(["not_equivalent"]);
    await recordDecision(db, { pairId: pair.id, userId: bob.id, decision: "ACCEPT", revision: 1 });
    const afterDeciding = await getPairForReview(db, pair.id, DEFAULT_TOKENIZER_ID, { id: bob.id, role: "ANNOTATOR" });
    expect(afterDeciding.reviews).toHaveLength(2);
    expect(afterDeciding.myReview).toMatchObject({ decision: "ACCEPT" });
    expect(afterDeciding.pair.status).toBe("CONFLICT");
  });

  it("returns the knowledge entry of the CWE, the history and comments in order", async () => {
    const pair = await newPair(single);
    const entry = await db.knowledgeEntry.create({ data: { cweId: "CWE-78", title: `OS command ${fixtures.tag}`, description: "d", source: "CUSTOM" } });
    try {
      await db.pair.update({ where: { id: pair.id }, data: { entryId: entry.id } });
      await addComment(db, { pairId: pair.id, userId: alice.id, body: "first" });
      await addComment(db, { pairId: pair.id, userId: bob.id, body: "second" });
      await expect(addComment(db, { pairId: pair.id, userId: bob.id, body: "   " })).rejects.toThrow(/cannot be empty/);
      const view = await getPairForReview(db, pair.id, DEFAULT_TOKENIZER_ID);
      expect(view.knowledgeEntry).toMatchObject({ cweId: "CWE-78", title: entry.title });
      expect(view.comments.map((comment) => [comment.body, comment.author.id])).toEqual([
        ["first", alice.id],
        ["second", bob.id],
      ]);
      expect(view.revisions.map((revision) => revision.revision)).toEqual([1]);
      // Not analyzed yet: masks are computed for display, not stored; an unknown tokenizer is named in the error.
      expect(view.masks).toMatchObject({ stored: false, tokenizerId: DEFAULT_TOKENIZER_ID });
      expect(view.masks!.secureSpans.length).toBeGreaterThan(0);
      expect(await db.mask.count({ where: { pairId: pair.id } })).toBe(0);
      const unknown = await getPairForReview(db, pair.id, "no-such-tokenizer");
      expect(unknown.masks).toBeNull();
      expect(unknown.maskError).toMatch(/no-such-tokenizer/);
      expect(await db.auditLog.count({ where: { entityId: pair.id, action: "pair.comment" } })).toBe(2);
    } finally {
      await db.pair.update({ where: { id: pair.id }, data: { entryId: null } });
      await db.knowledgeEntry.delete({ where: { id: entry.id } });
    }
  });
});
