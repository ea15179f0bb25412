// Monaco from our own bundle, never a CDN: @monaco-editor/react is told to use the locally installed monaco-editor,
// and the editor worker is bundled from that same package. Client-only (touches window); call it from an effect.
import { loader } from "@monaco-editor/react";

let ready: Promise<typeof import("monaco-editor")> | null = null;

export function loadMonacoOffline(): Promise<typeof import("monaco-editor")> {
  ready ??= (async () => {
    // Python is the only language shown here, so every worker request gets the plain editor worker.
    (self as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
      getWorker: () => new Worker(new URL("monaco-editor/editor/editor.worker.js", import.meta.url), { type: "module" }),
    };
    const monaco = await import("monaco-editor");
    loader.config({ monaco });
    await loader.init();
    return monaco;
  })();
  return ready;
}
