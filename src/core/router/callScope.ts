/**
 * One provider call's abort wiring: the caller's AbortSignal (editor cancel) and an inactivity timer share one
 * controller, so the HTTP request and its body stream stop the moment either fires, and afterwards we can tell
 * "the user cancelled" from "the server went quiet".
 */
export class CallScope {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private why: 'cancelled' | 'timeout' | undefined;
  private readonly onExternalAbort = (): void => this.abort('cancelled');

  constructor(
    private readonly external: AbortSignal | undefined,
    /** Longest silence allowed (before the first byte and between chunks); 0 or undefined = none. */
    private readonly idleMs: number | undefined,
    /** False when something else (the SDK's own request timeout) covers the wait for the first byte. */
    armNow = true,
  ) {
    if (external?.aborted) this.abort('cancelled');
    else external?.addEventListener('abort', this.onExternalAbort, { once: true });
    if (armNow) this.bump();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** 'cancelled' | 'timeout' once aborted, else undefined. */
  get abortedBy(): 'cancelled' | 'timeout' | undefined {
    return this.why;
  }

  /** Call on every chunk: restarts the inactivity timer. */
  bump(): void {
    if (!this.idleMs || this.why) return;
    if (this.timer) this.timer.refresh();
    else this.timer = setTimeout(() => this.abort('timeout'), this.idleMs);
  }

  /** Stops the timer and, if the call is still open (the consumer stopped reading early), its HTTP request. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.external?.removeEventListener('abort', this.onExternalAbort);
    if (!this.controller.signal.aborted) this.controller.abort();
  }

  private abort(why: 'cancelled' | 'timeout'): void {
    if (this.why) return;
    this.why = why;
    if (this.timer) clearTimeout(this.timer);
    this.controller.abort(why === 'timeout' ? new DOMException('provider went quiet', 'TimeoutError') : undefined);
  }
}

/** A fetch that also obeys `signal`, for clients (ollama-js) whose calls do not take one. */
export function fetchWithSignal(signal: AbortSignal, base: typeof fetch = fetch): typeof fetch {
  return (input, init) =>
    base(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
}
