/**
 * Every deadline a model call obeys, in one place. A hung provider must not hold a task for minutes: the router
 * only falls back to the other model once this call gives up, so the wait for the FIRST token is short (seconds)
 * and separate from the silence allowed between tokens of an answer already streaming and from the whole call.
 *
 * One controller carries the caller's AbortSignal (editor cancel) and the three timers, so the HTTP request and its
 * body stream stop the moment any fires; afterwards the provider can tell "the user cancelled" from which
 * deadline passed, and say so in one line.
 */
export interface Deadlines {
  /** From the start of the call (connecting, queueing, loading the model) until its first token. 0/undefined: none. */
  firstTokenMs?: number;
  /** Longest silence between events. Before the first token it applies only when firstTokenMs is not set. */
  idleMs?: number;
  /** The whole call, however steadily it streams. */
  totalMs?: number;
}

export type DeadlineKind = 'first-token' | 'idle' | 'total';

/** Defaults for `llmgenie.router.firstTokenTimeoutMs` / `idleTimeoutMs` and the per-provider totals. */
export const DEFAULT_FIRST_TOKEN_MS = 10_000;
export const DEFAULT_IDLE_MS = 30_000;
export const DEFAULT_OLLAMA_TOTAL_MS = 300_000;
export const DEFAULT_CLAUDE_TOTAL_MS = 300_000;

const seconds = (ms: number): string => (ms < 10_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 1000)} s`);

/** One line naming who passed which deadline, e.g. "Ollama at http://… sent no first token within 10 s". */
export function deadlineMessage(who: string, kind: DeadlineKind, ms: number): string {
  if (kind === 'first-token') return `${who} sent no first token within ${seconds(ms)}`;
  if (kind === 'idle') return `${who} went quiet for ${seconds(ms)} mid-answer`;
  return `${who} took longer than ${seconds(ms)} in total`;
}

export class CallScope {
  private readonly controller = new AbortController();
  private firstTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private totalTimer: ReturnType<typeof setTimeout> | undefined;
  private gotToken: boolean;
  private why: 'cancelled' | DeadlineKind | undefined;
  private readonly onExternalAbort = (): void => this.abort('cancelled');

  constructor(
    private readonly external: AbortSignal | undefined,
    readonly deadlines: Deadlines,
  ) {
    this.gotToken = !deadlines.firstTokenMs;
    if (external?.aborted) {
      this.abort('cancelled');
      return;
    }
    external?.addEventListener('abort', this.onExternalAbort, { once: true });
    if (deadlines.firstTokenMs) this.firstTimer = setTimeout(() => this.abort('first-token'), deadlines.firstTokenMs);
    if (deadlines.totalMs) this.totalTimer = setTimeout(() => this.abort('total'), deadlines.totalMs);
    this.bump();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** 'cancelled' or the deadline that passed, once aborted; else undefined. */
  get abortedBy(): 'cancelled' | DeadlineKind | undefined {
    return this.why;
  }

  /** The limit that `abortedBy` names, in ms (for the message). */
  limitOf(kind: DeadlineKind): number {
    return (kind === 'first-token' ? this.deadlines.firstTokenMs : kind === 'idle' ? this.deadlines.idleMs : this.deadlines.totalMs) ?? 0;
  }

  /** Any sign of life (a chunk, a keep-alive event): restarts the idle timer once tokens flow. */
  bump(): void {
    if (!this.deadlines.idleMs || this.why || !this.gotToken) return;
    if (this.idleTimer) this.idleTimer.refresh();
    else this.idleTimer = setTimeout(() => this.abort('idle'), this.deadlines.idleMs);
  }

  /** The model produced output (text, a tool call, reasoning): the first-token deadline is met. */
  token(): void {
    if (!this.gotToken) {
      this.gotToken = true;
      if (this.firstTimer) clearTimeout(this.firstTimer);
      this.firstTimer = undefined;
    }
    this.bump();
  }

  /** Stops the timers and, if the call is still open (the consumer stopped reading early), its HTTP request. */
  dispose(): void {
    this.clearTimers();
    this.external?.removeEventListener('abort', this.onExternalAbort);
    if (!this.controller.signal.aborted) this.controller.abort();
  }

  private clearTimers(): void {
    for (const t of [this.firstTimer, this.idleTimer, this.totalTimer]) if (t) clearTimeout(t);
    this.firstTimer = this.idleTimer = this.totalTimer = undefined;
  }

  private abort(why: 'cancelled' | DeadlineKind): void {
    if (this.why) return;
    this.why = why;
    this.clearTimers();
    this.controller.abort(why === 'cancelled' ? undefined : new DOMException(`provider deadline passed: ${why}`, 'TimeoutError'));
  }
}

/** A fetch that also obeys `signal`, for clients (ollama-js) whose calls do not take one. */
export function fetchWithSignal(signal: AbortSignal, base: typeof fetch = fetch): typeof fetch {
  return (input, init) =>
    base(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
}
