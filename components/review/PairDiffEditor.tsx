"use client";
// The insecure (left) / secure (right) diff with the engine's masks as inline highlights (m- red left, m+ green
// right, own classes so they never blend with Monaco's line diff) and analyzer findings as markers on their lines.
// Edits are reported through onChange; the highlights stay attached to the text they marked while the user types.
import { DiffEditor, type DiffOnMount } from "@monaco-editor/react";
import { useEffect, useRef, useState } from "react";
import type * as Monaco from "monaco-editor";
import { loadMonacoOffline } from "./monaco-offline";
import { findingLabel, type TReviewFinding } from "./types";

type Props = {
  insecureCode: string;
  secureCode: string;
  insecureSpans: [number, number][];
  secureSpans: [number, number][];
  insecureFindings: TReviewFinding[];
  secureFindings: TReviewFinding[];
  editable: boolean;
  onChange: (side: "insecureCode" | "secureCode", value: string) => void;
};

function severityOf(monaco: typeof Monaco, severity: string): Monaco.MarkerSeverity {
  const upper = severity.toUpperCase();
  if (upper === "HIGH" || upper === "ERROR") return monaco.MarkerSeverity.Error;
  if (upper === "MEDIUM" || upper === "WARNING") return monaco.MarkerSeverity.Warning;
  return monaco.MarkerSeverity.Info;
}

function decorate(model: Monaco.editor.ITextModel, spans: [number, number][], className: string, hover: string): Monaco.editor.IModelDeltaDecoration[] {
  const length = model.getValueLength();
  return spans
    .filter(([start, end]) => end > start && end <= length)
    .map(([start, end]) => {
      const from = model.getPositionAt(start);
      const to = model.getPositionAt(end);
      return {
        range: { startLineNumber: from.lineNumber, startColumn: from.column, endLineNumber: to.lineNumber, endColumn: to.column },
        options: { inlineClassName: className, hoverMessage: { value: hover }, stickiness: 1 /* NeverGrowsWhenTypingAtEdges */ },
      };
    });
}

function markers(monaco: typeof Monaco, findings: TReviewFinding[]): Monaco.editor.IMarkerData[] {
  return findings
    .filter((finding) => !finding.duplicateOfId)
    .map((finding) => ({
      severity: severityOf(monaco, finding.severity),
      message: findingLabel(finding),
      source: finding.tool,
      code: finding.ruleId,
      startLineNumber: finding.startLine,
      endLineNumber: Math.max(finding.startLine, finding.endLine),
      startColumn: finding.startColumn ?? 1,
      endColumn: finding.endColumn && finding.endLine > finding.startLine ? finding.endColumn : 1_000,
    }));
}

export default function PairDiffEditor(props: Props) {
  const [ready, setReady] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const editorRef = useRef<Monaco.editor.IStandaloneDiffEditor | null>(null);
  const monacoRef = useRef<typeof Monaco | null>(null);
  const collections = useRef<{ minus?: Monaco.editor.IEditorDecorationsCollection; plus?: Monaco.editor.IEditorDecorationsCollection }>({});
  const onChangeRef = useRef(props.onChange);
  onChangeRef.current = props.onChange;
  const [mounted, setMounted] = useState(0);

  useEffect(() => {
    loadMonacoOffline()
      .then(() => setReady(true))
      .catch((error: Error) => setLoadError(`The code editor failed to load: ${error.message}`));
  }, []);

  const onMount: DiffOnMount = (editor, monaco) => {
    editorRef.current = editor;
    monacoRef.current = monaco as unknown as typeof Monaco;
    editor.getOriginalEditor().onDidChangeModelContent(() => onChangeRef.current("insecureCode", editor.getOriginalEditor().getValue()));
    editor.getModifiedEditor().onDidChangeModelContent(() => onChangeRef.current("secureCode", editor.getModifiedEditor().getValue()));
    setMounted((n) => n + 1);
  };

  // Highlights and markers are recomputed whenever the analyzed code or its results change (a save, a tokenizer switch).
  useEffect(() => {
    const editor = editorRef.current;
    const monaco = monacoRef.current;
    if (!editor || !monaco) return;
    const original = editor.getOriginalEditor();
    const modified = editor.getModifiedEditor();
    const originalModel = original.getModel();
    const modifiedModel = modified.getModel();
    if (!originalModel || !modifiedModel) return;
    collections.current.minus?.clear();
    collections.current.plus?.clear();
    collections.current.minus = original.createDecorationsCollection(decorate(originalModel, props.insecureSpans, "mask-minus", "m-: security-relevant token in the insecure code"));
    collections.current.plus = modified.createDecorationsCollection(decorate(modifiedModel, props.secureSpans, "mask-plus", "m+: security-relevant token in the secure code"));
    monaco.editor.setModelMarkers(originalModel, "disco-findings", markers(monaco, props.insecureFindings));
    monaco.editor.setModelMarkers(modifiedModel, "disco-findings", markers(monaco, props.secureFindings));
  }, [mounted, props.insecureSpans, props.secureSpans, props.insecureFindings, props.secureFindings, props.insecureCode, props.secureCode]);

  if (loadError) return <p className="error">{loadError}</p>;
  if (!ready) return <p className="muted">Loading the code editor…</p>;
  return (
    <div data-testid="diff-editor" className="review-diff">
      <DiffEditor
        height="100%"
        language="python"
        original={props.insecureCode}
        modified={props.secureCode}
        onMount={onMount}
        options={{
          readOnly: !props.editable,
          originalEditable: props.editable,
          renderSideBySide: true,
          // Insecure left, secure right always: Monaco would otherwise fold to one column on narrow screens.
          useInlineViewWhenSpaceIsLimited: false,
          // Findings are shown on read-only code too (Monaco's default hides markers unless the editor is editable).
          renderValidationDecorations: "on",
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          automaticLayout: true,
          fontSize: 13,
          renderMarginRevertIcon: false,
        }}
      />
    </div>
  );
}
