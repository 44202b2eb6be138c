import type * as vscode from 'vscode';
import type * as z from 'zod/mini';
import { parseMessage } from '../webviews/protocol';

/**
 * Host side of a webview's typed channel: validates incoming messages with the view's zod schema and queues
 * outgoing ones until the webview says it is ready (it posts `{type:'ready'}` once its script has loaded).
 */
export interface WebviewChannelOptions {
  /**
   * Message types that each replace the last one of their type (whole states, a query to show): while the webview
   * is not ready only the newest of each is queued, so a hidden view does not pile up stale copies. Types not
   * listed (streamed events) are all kept, in order.
   */
  readonly latestOnly?: readonly string[];
}

export class WebviewChannel<In extends z.core.$ZodType, Out> implements vscode.Disposable {
  private ready = false;
  private queue: Out[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly webview: vscode.Webview,
    schema: In,
    onMessage: (message: z.infer<In>) => void | Promise<void>,
    log: vscode.LogOutputChannel,
    private readonly options: WebviewChannelOptions = {},
  ) {
    this.subscription = webview.onDidReceiveMessage(async (raw: unknown) => {
      if ((raw as { type?: unknown })?.type === 'ready') {
        this.ready = true;
        for (const m of this.queue.splice(0)) void this.webview.postMessage(m);
      }
      const parsed = parseMessage(schema, raw);
      if (!parsed.ok) {
        log.warn(`webview message dropped: ${parsed.error}`);
        return;
      }
      try {
        await onMessage(parsed.message);
      } catch (e) {
        log.error('webview message handler failed', e);
      }
    });
  }

  post(message: Out): void {
    if (this.ready) {
      void this.webview.postMessage(message);
      return;
    }
    const type = (message as { type?: unknown })?.type;
    if (typeof type === 'string' && this.options.latestOnly?.includes(type)) {
      this.queue = this.queue.filter((m) => (m as { type?: unknown })?.type !== type);
    }
    this.queue.push(message);
  }

  /** After the webview reloads its HTML it must handshake again. */
  reset(): void {
    this.ready = false;
  }

  dispose(): void {
    this.subscription.dispose();
    this.queue = [];
  }
}
