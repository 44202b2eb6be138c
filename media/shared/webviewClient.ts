// The webview half of the typed channel (see src/webviews/protocol.ts and src/extension/webviewChannel.ts), shared by
// every page: the VS Code API handle, the state VS Code keeps across reloads, the state the host injected into the
// page, and the handshake. Not an app itself: it lives outside media/<view>/main.ts, so esbuild does not bundle it alone.
import type * as z from 'zod/mini';
import { parseMessage } from '../../src/webviews/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
declare global {
  interface Window {
    /** Set by renderWebviewHtml: the state the host rendered this page with. */
    __LLMGENIE_STATE__?: unknown;
  }
}

export interface WebviewClient<Out, State> {
  /** What this page last saved (VS Code keeps it while the webview is hidden or reloaded), when it still parses. */
  readonly saved: State | undefined;
  /** The state the host injected when it rendered the page, when it parses. */
  readonly injected: State | undefined;
  save(state: State): void;
  post(message: Out): void;
  /**
   * Hands each valid host message to `onMessage` (an invalid one is dropped with a console warning), then posts
   * `ready`: the host holds its messages until then, so call this once the page can draw them.
   */
  start<S extends z.core.$ZodType>(schema: S, onMessage: (message: z.infer<S>) => void, ready: Out): void;
}

/** `Out` is what the page posts, `State` what it saves; `view` names the page in console warnings. Call once per page. */
export function connect<Out, State>(view: string, stateSchema: z.core.$ZodType<State>): WebviewClient<Out, State> {
  // acquireVsCodeApi throws when called a second time, so the page holds the one client.
  const api = acquireVsCodeApi();
  const valid = (raw: unknown): State | undefined => {
    const r = parseMessage(stateSchema, raw);
    return r.ok ? r.message : undefined;
  };
  return {
    saved: valid(api.getState()),
    injected: valid(window.__LLMGENIE_STATE__),
    save: (state) => api.setState(state),
    post: (message) => api.postMessage(message),
    start(schema, onMessage, ready) {
      window.addEventListener('message', (event: MessageEvent) => {
        const parsed = parseMessage(schema, event.data);
        if (parsed.ok) onMessage(parsed.message);
        else console.warn(`llmgenie ${view}: message dropped: ${parsed.error}`);
      });
      api.postMessage(ready);
    },
  };
}
