"use client";
// The pair review page: the diff with masks and findings, the pair's texts beside it, and every action on the
// keyboard. Shortcuts never fire while the user types in a field or the editor (Ctrl+S excepted: it saves).
import dynamic from "next/dynamic";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { apiJson } from "@/components/ui/api-client";
import { postWithDetails, ReviewApiError } from "./review-api";
import { findingLabel, type TConflict, type TDraft, type TEditableField, type TReviewFinding, type TReviewView } from "./types";
import "./review.css";

const PairDiffEditor = dynamic(() => import("./PairDiffEditor"), { ssr: false, loading: () => <p className="muted">Loading the code editor…</p> });

const REASONS = [
  ["still_insecure", "Still insecure"],
  ["not_equivalent", "Not equivalent"],
  ["over_engineered", "Over-engineered"],
  ["instruction_leaks", "Instruction leaks the issue"],
  ["other", "Other"],
] as const;

export const SHORTCUTS: [string, string][] = [
  ["a", "Accept this pair"],
  ["r", "Reject with a reason"],
  ["e", "Edit mode (secure and insecure code, texts)"],
  ["Ctrl+S", "Save the edit"],
  ["Esc", "Leave edit mode / close a dialog"],
  ["j", "Next pair in the list"],
  ["k", "Previous pair in the list"],
  ["?", "Show this help"],
];

type Neighbors = { previous: string | null; next: string | null; position: number | null; total: number | null };

function draftOf(view: TReviewView): TDraft {
  const { instruction, insecureCode, secureCode, reasonInsecure, reasonSecure, reasoning } = view.pair;
  return { instruction, insecureCode, secureCode, reasonInsecure, reasonSecure, reasoning };
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) return true;
  return Boolean(target.closest(".monaco-editor"));
}

function FindingList({ findings, side }: { findings: TReviewFinding[]; side: string }) {
  const primary = findings.filter((finding) => !finding.duplicateOfId);
  if (primary.length === 0) return <p className="muted">No findings on the {side} side.</p>;
  return (
    <ul className="findings-list" data-testid={`findings-${side}`}>
      {primary.map((finding) => (
        <li key={finding.id} data-rule={finding.ruleId}>
          line {finding.startLine}: {findingLabel(finding)}
        </li>
      ))}
    </ul>
  );
}

export function ReviewPage(props: { initial: TReviewView; neighbors: Neighbors; listParams: string; tokenizers: string[]; canEdit: boolean }) {
  const router = useRouter();
  const [view, setView] = useState(props.initial);
  const [tokenizer, setTokenizer] = useState(props.initial.tokenizerId);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<TDraft>(() => draftOf(props.initial));
  const [editorKey, setEditorKey] = useState(0);
  const [conflict, setConflict] = useState<TConflict | null>(null);
  const [rejectOpen, setRejectOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [comment, setComment] = useState("");
  const draftRef = useRef(draft);
  draftRef.current = draft;

  const pair = view.pair;
  const suffix = props.listParams ? `?${props.listParams}` : "";
  const setField = useCallback((field: TEditableField, value: string) => setDraft((current) => ({ ...current, [field]: value })), []);

  const decide = useCallback(
    async (decision: "ACCEPT" | "REJECT", reason?: { reasonCode: string; reasonText: string }) => {
      setBusy(true);
      setError(null);
      try {
        const result = await apiJson<{ status: TReviewView["pair"]["status"]; review: TReviewView["myReview"] }>(`/api/pairs/${pair.id}/decision`, {
          method: "POST",
          body: { decision, revision: pair.revision, ...(reason ? { reasonCode: reason.reasonCode, reasonText: reason.reasonText || undefined } : {}) },
        });
        setView((current) => ({ ...current, pair: { ...current.pair, status: result.status }, myReview: result.review }));
        setNotice(`${decision === "ACCEPT" ? "Accepted" : "Rejected"}: status is now ${result.status.toLowerCase().replace("_", " ")}.`);
        setRejectOpen(false);
      } catch (caught) {
        setError((caught as Error).message);
      } finally {
        setBusy(false);
      }
    },
    [pair.id, pair.revision],
  );

  const save = useCallback(
    async (expectedRevision = pair.revision) => {
      const original = draftOf(view);
      const changes = Object.fromEntries(Object.entries(draftRef.current).filter(([key, value]) => value !== original[key as TEditableField]));
      if (Object.keys(changes).length === 0) {
        setNotice("Nothing changed.");
        return;
      }
      setBusy(true);
      setError(null);
      setNotice("Saving and re-analyzing…");
      try {
        const result = await postWithDetails<{ saved: { revision: number; analysisError: string | null }; view: TReviewView }>(`/api/pairs/${pair.id}/edit`, {
          expectedRevision,
          changes,
          tokenizer,
        });
        setView(result.view);
        setDraft(draftOf(result.view));
        setConflict(null);
        setEditing(false);
        setNotice(`Saved revision ${result.saved.revision}.${result.saved.analysisError ? ` ${result.saved.analysisError}` : " Findings and masks are up to date."}`);
      } catch (caught) {
        setNotice(null);
        if (caught instanceof ReviewApiError && caught.status === 409 && caught.details && typeof caught.details === "object" && "current" in caught.details) {
          // The user's text stays in the editor and the fields; the other version is shown beside it.
          setConflict({ message: caught.message, current: (caught.details as { current: TConflict["current"] }).current });
        } else setError((caught as Error).message);
      } finally {
        setBusy(false);
      }
    },
    [pair.id, pair.revision, tokenizer, view],
  );

  const cancelEdit = useCallback(() => {
    setEditing(false);
    setDraft(draftOf(view));
    setConflict(null);
    setEditorKey((key) => key + 1);
  }, [view]);

  async function switchTokenizer(next: string) {
    setTokenizer(next);
    setError(null);
    try {
      const fresh = await apiJson<TReviewView>(`/api/pairs/${pair.id}?tokenizer=${encodeURIComponent(next)}`);
      // Only the masks follow the tokenizer; an unsaved edit keeps its text.
      setView((current) => ({ ...current, tokenizerId: fresh.tokenizerId, masks: fresh.masks, maskError: fresh.maskError }));
    } catch (caught) {
      setError((caught as Error).message);
    }
  }

  async function loadTheirs() {
    const fresh = await apiJson<TReviewView>(`/api/pairs/${pair.id}?tokenizer=${encodeURIComponent(tokenizer)}`);
    setView(fresh);
    setDraft(draftOf(fresh));
    setConflict(null);
    setEditing(false);
    setEditorKey((key) => key + 1);
  }

  async function addComment() {
    if (!comment.trim()) return;
    try {
      const result = await apiJson<{ comment: TReviewView["comments"][number] }>(`/api/pairs/${pair.id}/comments`, { method: "POST", body: { body: comment } });
      setView((current) => ({ ...current, comments: [...current.comments, result.comment] }));
      setComment("");
    } catch (caught) {
      setError((caught as Error).message);
    }
  }

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
        event.preventDefault();
        if (editing && !busy) void save();
        return;
      }
      if (event.key === "Escape") {
        if (helpOpen) setHelpOpen(false);
        else if (rejectOpen) setRejectOpen(false);
        else if (editing) cancelEdit();
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target) || rejectOpen || busy) return;
      if (helpOpen && event.key !== "?") return;
      switch (event.key) {
        case "a":
          if (!editing) void decide("ACCEPT");
          break;
        case "r":
          if (!editing) setRejectOpen(true);
          break;
        case "e":
          if (props.canEdit) setEditing(true);
          break;
        case "j":
          if (props.neighbors.next) router.push(`/pairs/${props.neighbors.next}${suffix}`);
          break;
        case "k":
          if (props.neighbors.previous) router.push(`/pairs/${props.neighbors.previous}${suffix}`);
          break;
        case "?":
          setHelpOpen((open) => !open);
          break;
        default:
          return;
      }
      event.preventDefault();
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [busy, cancelEdit, decide, editing, helpOpen, props.canEdit, props.neighbors, rejectOpen, router, save, suffix]);

  const secureFindings = view.findings.secure.filter((finding) => !finding.duplicateOfId);
  const textField = (field: TEditableField, label: string) =>
    editing ? (
      <label>
        {label}
        <textarea aria-label={label} value={draft[field]} onChange={(event) => setField(field, event.target.value)} />
      </label>
    ) : (
      <p data-testid={`text-${field}`}>{pair[field] || <span className="muted">(empty)</span>}</p>
    );

  return (
    <>
      <div className="review-toolbar">
        <Link href={`/pairs${suffix}`}>← list</Link>
        <span className="muted" data-testid="list-position">
          {props.neighbors.position ? `${props.neighbors.position} of ${props.neighbors.total}` : "not in the current list"}
        </span>
        <button type="button" className="secondary" disabled={!props.neighbors.previous} onClick={() => router.push(`/pairs/${props.neighbors.previous}${suffix}`)}>
          Previous <kbd>k</kbd>
        </button>
        <button type="button" className="secondary" disabled={!props.neighbors.next} onClick={() => router.push(`/pairs/${props.neighbors.next}${suffix}`)}>
          Next <kbd>j</kbd>
        </button>
        <span className="badge" data-testid="pair-status">{pair.status.toLowerCase().replace("_", " ")}</span>
        <span className="muted">revision {pair.revision}</span>
        <button type="button" disabled={busy || editing} onClick={() => void decide("ACCEPT")} data-testid="accept">
          Accept <kbd>a</kbd>
        </button>
        <button type="button" disabled={busy || editing} onClick={() => setRejectOpen(true)} data-testid="reject">
          Reject <kbd>r</kbd>
        </button>
        {props.canEdit && !editing && (
          <button type="button" className="secondary" onClick={() => setEditing(true)} data-testid="edit">
            Edit <kbd>e</kbd>
          </button>
        )}
        {editing && (
          <>
            <button type="button" disabled={busy} onClick={() => void save()} data-testid="save">
              Save <kbd>Ctrl+S</kbd>
            </button>
            <button type="button" className="secondary" onClick={cancelEdit}>
              Cancel <kbd>Esc</kbd>
            </button>
          </>
        )}
        <label>
          Tokenizer{" "}
          <select value={tokenizer} onChange={(event) => void switchTokenizer(event.target.value)} data-testid="tokenizer">
            {[...new Set([...props.tokenizers, ...view.availableTokenizers, tokenizer])].map((id) => (
              <option key={id} value={id}>
                {id}
                {view.availableTokenizers.includes(id) ? " (stored)" : ""}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="secondary" onClick={() => setHelpOpen(true)} aria-label="Keyboard shortcuts">
          <kbd>?</kbd>
        </button>
      </div>
      {notice && <p className="muted" role="status" data-testid="notice">{notice}</p>}
      {error && <p className="error" role="alert">{error}</p>}
      {view.myReview && (
        <p className="muted" data-testid="my-review">
          Your decision: {view.myReview.decision.toLowerCase()}
          {view.myReview.reasonCode ? ` (${view.myReview.reasonCode.replace("_", " ")}${view.myReview.reasonText ? `: ${view.myReview.reasonText}` : ""})` : ""} on revision{" "}
          {view.myReview.revision}
        </p>
      )}
      {conflict && (
        <div className="review-conflict" role="alert" data-testid="conflict">
          <strong>{conflict.message}</strong>
          <p>
            Their revision {conflict.current.revision}
            {conflict.current.editedBy ? ` by ${conflict.current.editedBy.name} (${conflict.current.editedBy.email})` : ""} at {new Date(conflict.current.createdAt).toLocaleString()}. Your edit is
            still in the editor.
          </p>
          {(Object.keys(draft) as TEditableField[])
            .filter((field) => conflict.current[field] !== draftOf(view)[field])
            .map((field) => (
              <div key={field}>
                <h4>Their {field}</h4>
                <pre data-testid={`conflict-${field}`}>{conflict.current[field]}</pre>
              </div>
            ))}
          <button type="button" onClick={() => void save(conflict.current.revision)} disabled={busy}>
            Save mine over theirs (as revision {conflict.current.revision + 1})
          </button>{" "}
          <button type="button" className="secondary" onClick={() => void loadTheirs()}>
            Discard mine, load theirs
          </button>
        </div>
      )}
      <div className="review-layout">
        <div>
          <p className="muted">
            Left: insecure code (<span className="legend-minus">m-</span>), right: secure code (<span className="legend-plus">m+</span>), tokenizer {view.tokenizerId}
            {view.masks && !view.masks.stored ? " (computed for display)" : ""}
            {view.masks ? `: ${view.masks.insecureMasked}/${view.masks.insecureTokens} and ${view.masks.secureMasked}/${view.masks.secureTokens} tokens marked` : ""}.
            {editing ? " Editing: both sides are editable." : ""}
          </p>
          {view.maskError && <p className="error">{view.maskError}</p>}
          <PairDiffEditor
            key={editorKey}
            insecureCode={pair.insecureCode}
            secureCode={pair.secureCode}
            insecureSpans={view.masks?.insecureSpans ?? []}
            secureSpans={view.masks?.secureSpans ?? []}
            insecureFindings={view.findings.insecure}
            secureFindings={view.findings.secure}
            editable={editing}
            onChange={setField}
          />
        </div>
        <aside className="review-side">
          <section>
            <h3>Analysis</h3>
            {!view.analyzedAt ? (
              <p className="muted" data-testid="not-analyzed">Not analyzed yet: the analysis job has not reached this revision.</p>
            ) : secureFindings.length > 0 ? (
              <p className="review-callout" data-testid="secure-flagged">
                Secure code still flagged: {secureFindings.length} finding{secureFindings.length === 1 ? "" : "s"} remain on the secure side.
              </p>
            ) : (
              <p className="review-ok" data-testid="secure-clean">The secure code has no analyzer findings.</p>
            )}
            {(pair.insecureParseError || pair.secureParseError) && (
              <p className="error">
                Parse error {pair.insecureParseError ? `insecure: ${pair.insecureParseError}` : ""} {pair.secureParseError ? `secure: ${pair.secureParseError}` : ""}
              </p>
            )}
            <h4>Secure side</h4>
            <FindingList findings={view.findings.secure} side="secure" />
            <h4>Insecure side</h4>
            <FindingList findings={view.findings.insecure} side="insecure" />
          </section>
          <section>
            <h3>Instruction</h3>
            {textField("instruction", "Instruction")}
          </section>
          <section>
            <h3>
              Reasoning (R){" "}
              {pair.cweId && (
                <Link href={`/knowledge#${pair.cweId}`} data-testid="cwe-link" title={view.knowledgeEntry?.title ?? pair.cweTitle ?? undefined}>
                  {pair.cweId}
                </Link>
              )}
            </h3>
            {view.knowledgeEntry && <p className="muted">{view.knowledgeEntry.title}</p>}
            {textField("reasoning", "Reasoning")}
            <h3>Why insecure (r-)</h3>
            {textField("reasonInsecure", "Why insecure")}
            <h3>Why secure (r+)</h3>
            {textField("reasonSecure", "Why secure")}
          </section>
          <section>
            <h3>Source</h3>
            <p>
              {pair.source} · dataset {pair.dataset.name} · {pair.packageName ? `package ${pair.packageName} · ` : ""}
              {pair.dataset.reviewsRequired} review{pair.dataset.reviewsRequired === 1 ? "" : "s"} needed
            </p>
          </section>
          <section>
            <h3>Reviews</h3>
            {view.reviews.length === 0 && <p className="muted">No visible decisions{view.hiddenReviews ? ` (${view.hiddenReviews} hidden until you decide)` : ""}.</p>}
            <ul className="findings-list">
              {view.reviews.map((review) => (
                <li key={review.id}>
                  {review.reviewer.name}: {review.decision.toLowerCase()}
                  {review.reasonCode ? ` (${review.reasonCode})` : ""} on rev. {review.revision}
                  {review.isResolution ? " (resolution)" : ""}
                </li>
              ))}
            </ul>
          </section>
          <section>
            <h3>Revision history</h3>
            <ul className="findings-list" data-testid="revisions">
              {view.revisions.map((revision) => (
                <li key={revision.revision}>
                  rev. {revision.revision} · {revision.editedBy ? revision.editedBy.name : "import"} · {new Date(revision.createdAt).toLocaleString()}
                  {revision.note ? ` · ${revision.note}` : ""}
                </li>
              ))}
            </ul>
          </section>
          <section>
            <h3>Comments</h3>
            <ul className="findings-list" data-testid="comments">
              {view.comments.map((entry) => (
                <li key={entry.id}>
                  <strong>{entry.author.name}</strong> ({new Date(entry.createdAt).toLocaleString()}): {entry.body}
                </li>
              ))}
            </ul>
            <textarea aria-label="New comment" value={comment} onChange={(event) => setComment(event.target.value)} />
            <button type="button" className="secondary" onClick={() => void addComment()} disabled={!comment.trim()}>
              Add comment
            </button>
          </section>
        </aside>
      </div>
      {rejectOpen && <RejectDialog busy={busy} onCancel={() => setRejectOpen(false)} onReject={(reason) => void decide("REJECT", reason)} />}
      {helpOpen && (
        <div className="review-overlay" onClick={() => setHelpOpen(false)}>
          <div className="review-dialog" role="dialog" aria-label="Keyboard shortcuts" onClick={(event) => event.stopPropagation()}>
            <h2>Keyboard shortcuts</h2>
            <table className="data">
              <tbody>
                {SHORTCUTS.map(([key, label]) => (
                  <tr key={key}>
                    <td>
                      <kbd>{key}</kbd>
                    </td>
                    <td>{label}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted">Shortcuts are off while you type in a field or the code editor (Ctrl+S still saves).</p>
            <button type="button" onClick={() => setHelpOpen(false)}>
              Close
            </button>
          </div>
        </div>
      )}
    </>
  );
}

function RejectDialog({ busy, onCancel, onReject }: { busy: boolean; onCancel: () => void; onReject: (reason: { reasonCode: string; reasonText: string }) => void }) {
  const [reasonCode, setReasonCode] = useState<string>("still_insecure");
  const [reasonText, setReasonText] = useState("");
  return (
    <div className="review-overlay">
      <form
        className="review-dialog"
        role="dialog"
        aria-label="Reject pair"
        onSubmit={(event) => {
          event.preventDefault();
          onReject({ reasonCode, reasonText });
        }}
      >
        <h2>Reject this pair</h2>
        <fieldset>
          <legend>Reason</legend>
          {REASONS.map(([code, label], index) => (
            <label key={code} style={{ display: "block" }}>
              <input type="radio" name="reason" value={code} checked={reasonCode === code} onChange={() => setReasonCode(code)} autoFocus={index === 0} /> {label}
            </label>
          ))}
        </fieldset>
        <label>
          Details{reasonCode === "other" ? " (required)" : " (optional)"}
          <textarea aria-label="Details" value={reasonText} onChange={(event) => setReasonText(event.target.value)} required={reasonCode === "other"} />
        </label>
        <p>
          <button type="submit" disabled={busy}>
            Reject
          </button>{" "}
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        </p>
      </form>
    </div>
  );
}
