import { Ollama } from 'ollama';
import { z } from 'zod';
import { CallScope, DEFAULT_FIRST_TOKEN_MS, DEFAULT_IDLE_MS, DEFAULT_OLLAMA_TOTAL_MS, deadlineMessage, fetchWithSignal, type Deadlines } from './deadlines';
import { toOllamaMessages, normaliseArgs, type Conversation } from './conversation';
import { ProviderError, errorCode, isAbortError } from './errors';
import type { DoneReason, LlmProvider, StreamEvent, StreamOptions } from './provider';
import { toOllamaTools, type ToolDefinition } from './tools';
import type { Tool as OllamaTool } from 'ollama';

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';
export const DEFAULT_OLLAMA_MODEL = 'qwen2.5-coder:7b';
const PULL_IDLE_MS = 120_000;

export function defaultOllamaHost(env: Readonly<Record<string, string | undefined>>): string {
  return env.OLLAMA_HOST?.trim() || DEFAULT_OLLAMA_HOST;
}

export interface OllamaProviderOptions {
  host?: string;
  model: string;
  /** Injected for tests and proxies; default global fetch. */
  fetch?: typeof fetch;
  /** From the request until the first token, model load included: a hung server falls back this soon. Default 10 s. */
  firstTokenTimeoutMs?: number;
  /** Longest silence between chunks once the answer streams. Default 30 s. */
  idleTimeoutMs?: number;
  /** The whole call. Default 300 s. */
  totalTimeoutMs?: number;
  /** Upper bound for `num_ctx`; Ollama's own default window is small and it truncates silently. Default 8192. */
  maxContextTokens?: number;
}

export interface PullProgress {
  status: string;
  completed?: number;
  total?: number;
  /** 0..100 when the server reported sizes. */
  percent?: number;
}

const TagsSchema = z.object({ models: z.array(z.object({ name: z.string(), model: z.string().optional() })) });
const ShowSchema = z.object({
  model_info: z.record(z.string(), z.unknown()).nullish(),
  parameters: z.string().nullish(),
  capabilities: z.array(z.string()).nullish(),
});

interface ModelInfo {
  contextLength?: number;
  capabilities: string[];
}

/** `llama3.2` names `llama3.2:latest`; anything with a tag must match exactly. */
export function sameModel(want: string, have: string): boolean {
  if (want === have) return true;
  return !want.includes(':') && have === `${want}:latest`;
}

export class OllamaProvider implements LlmProvider {
  readonly id = 'ollama' as const;
  readonly model: string;
  readonly host: string;
  private readonly baseFetch: typeof fetch;
  private readonly deadlines: Required<Deadlines>;
  private readonly maxContextTokens: number;
  private ready: Promise<ModelInfo> | undefined;
  private readonly toolCache = new WeakMap<readonly ToolDefinition[], OllamaTool[]>();

  constructor(opts: OllamaProviderOptions) {
    this.model = opts.model;
    this.host = opts.host?.trim() || DEFAULT_OLLAMA_HOST;
    this.baseFetch = opts.fetch ?? ((input, init) => fetch(input, init));
    this.deadlines = {
      firstTokenMs: opts.firstTokenTimeoutMs ?? DEFAULT_FIRST_TOKEN_MS,
      idleMs: opts.idleTimeoutMs ?? DEFAULT_IDLE_MS,
      totalMs: opts.totalTimeoutMs ?? DEFAULT_OLLAMA_TOTAL_MS,
    };
    this.maxContextTokens = opts.maxContextTokens ?? 8192;
  }

  /** A client whose every request obeys `signal` (ollama-js only aborts streams, and only via its own handle). */
  private client(signal: AbortSignal): Ollama {
    return new Ollama({ host: this.host, fetch: fetchWithSignal(signal, this.baseFetch) });
  }

  /**
   * A short request (/api/tags, /api/show; the first use of a chat waits on both): its reply must come within the
   * first-token deadline, so a wedged server is given up on as soon as a silent chat would be.
   */
  private requestScope(signal?: AbortSignal): CallScope {
    return new CallScope(signal, { firstTokenMs: this.deadlines.firstTokenMs });
  }

  async listModels(signal?: AbortSignal): Promise<string[]> {
    const scope = this.requestScope(signal);
    try {
      const res = TagsSchema.safeParse(await this.client(scope.signal).list());
      if (!res.success) throw new ProviderError('server-error', `Ollama at ${this.host} sent an unexpected /api/tags reply`, 'ollama');
      return res.data.models.map((m) => m.name);
    } catch (e) {
      throw this.mapError(e, scope);
    } finally {
      scope.dispose();
    }
  }

  /**
   * First use: `/api/tags` must list the model (else a typed 'model-missing' error carrying what is installed),
   * then `/api/show` gives its context length. Success is cached; a failure is retried on the next call. The
   * check itself is shared by concurrent tasks, so one task's cancel only stops that task's wait.
   */
  ensureReady(signal?: AbortSignal): Promise<ModelInfo> {
    this.ready ??= this.checkModel().catch((e: unknown) => {
      this.ready = undefined;
      throw e;
    });
    return signal ? raceAbort(this.ready, signal) : this.ready;
  }

  private async checkModel(): Promise<ModelInfo> {
    const available = await this.listModels();
    if (!available.some((m) => sameModel(this.model, m))) throw this.missing(available);
    const scope = this.requestScope();
    try {
      const show = ShowSchema.safeParse(await this.client(scope.signal).show({ model: this.model }));
      if (!show.success) return { capabilities: [] };
      const info = show.data.model_info ?? {};
      const key = Object.keys(info).find((k) => k.endsWith('.context_length'));
      const len = key ? Number(info[key]) : NaN;
      return { contextLength: Number.isFinite(len) && len > 0 ? len : undefined, capabilities: show.data.capabilities ?? [] };
    } catch (e) {
      throw this.mapError(e, scope);
    } finally {
      scope.dispose();
    }
  }

  private missing(available: readonly string[]): ProviderError {
    const list = available.length ? `installed: ${available.join(', ')}` : 'no models are installed';
    return new ProviderError(
      'model-missing',
      `Ollama at ${this.host} does not have model "${this.model}" (${list}); pull it with \`ollama pull ${this.model}\``,
      'ollama',
      available,
    );
  }

  async contextWindow(signal?: AbortSignal): Promise<number> {
    const info = await this.ensureReady(signal);
    return Math.min(info.contextLength ?? this.maxContextTokens, this.maxContextTokens);
  }

  /** Streams `/api/pull` progress to `onProgress`; resolves once the server reports success. */
  async pullModel(name: string, onProgress: (p: PullProgress) => void, signal?: AbortSignal): Promise<void> {
    // A pull fetches from the registry and writes gigabytes: only silence, not its length, means it hung.
    const scope = new CallScope(signal, { idleMs: Math.max(this.deadlines.idleMs, PULL_IDLE_MS) });
    try {
      const stream = await this.client(scope.signal).pull({ model: name, stream: true });
      for await (const p of stream) {
        scope.bump();
        const progress: PullProgress = { status: p.status };
        if (typeof p.total === 'number' && p.total > 0) {
          progress.total = p.total;
          progress.completed = p.completed ?? 0;
          progress.percent = Math.min(100, Math.round(((p.completed ?? 0) / p.total) * 1000) / 10);
        }
        onProgress(progress);
      }
      if (name === this.model) this.ready = undefined;
    } catch (e) {
      const mapped = this.mapError(e, scope);
      if (mapped.reason === 'server-error' || mapped.reason === 'bad-request')
        throw new ProviderError('model-missing', `Ollama could not pull "${name}": ${mapped.message}`, 'ollama');
      throw mapped;
    } finally {
      scope.dispose();
    }
  }

  async *streamChat(conversation: Conversation, options: StreamOptions = {}): AsyncGenerator<StreamEvent> {
    const scope = new CallScope(options.signal, this.deadlines);
    try {
      const info = await this.ensureReady(scope.signal);
      const numCtx = Math.min(info.contextLength ?? this.maxContextTokens, this.maxContextTokens);
      // Models without tool support answer a request carrying tools with a 400; they simply get none.
      const toolCapable = !info.capabilities.length || info.capabilities.includes('tools');
      const tools = options.tools?.length && toolCapable ? this.tools(options.tools) : undefined;
      const stream = await this.client(scope.signal).chat({
        model: this.model,
        messages: toOllamaMessages(conversation),
        stream: true,
        ...(tools ? { tools } : {}),
        options: { num_ctx: numCtx, ...(options.maxOutputTokens ? { num_predict: options.maxOutputTokens } : {}) },
      });
      let calls = 0;
      for await (const chunk of stream) {
        const msg = chunk.message;
        if (msg?.content || msg?.thinking || msg?.tool_calls?.length) scope.token();
        else scope.bump();
        if (msg?.content) yield { type: 'text', text: msg.content };
        for (const c of (msg?.tool_calls ?? []) as Array<{ id?: string; function: { name: string; arguments: unknown } }>) {
          yield { type: 'toolCall', call: { id: c.id || `call_${Date.now().toString(36)}_${calls}`, name: c.function.name, input: normaliseArgs(c.function.arguments) } };
          calls++;
        }
        if (chunk.done) {
          const raw = chunk.done_reason;
          yield {
            type: 'done',
            doneReason: calls ? 'tool_use' : mapDoneReason(raw),
            ...(raw ? { rawDoneReason: raw } : {}),
            usage: { inputTokens: chunk.prompt_eval_count ?? 0, outputTokens: chunk.eval_count ?? 0 },
          };
          return;
        }
      }
    } catch (e) {
      const mapped = this.mapError(e, scope);
      if (mapped.reason === 'model-missing' && !mapped.availableModels) throw this.missing(await this.listModels(options.signal));
      throw mapped;
    } finally {
      scope.dispose();
    }
  }

  private tools(defs: readonly ToolDefinition[]): OllamaTool[] {
    let t = this.toolCache.get(defs);
    if (!t) this.toolCache.set(defs, (t = toOllamaTools(defs)));
    return t;
  }

  private mapError(e: unknown, scope: CallScope): ProviderError {
    // The scope first: a deadline that passed while waiting on the shared model check surfaces as its 'cancelled'.
    const by = scope.abortedBy;
    if (by && by !== 'cancelled') return new ProviderError('timeout', deadlineMessage(`Ollama at ${this.host}`, by, scope.limitOf(by)), 'ollama');
    if (e instanceof ProviderError) return e;
    if (by === 'cancelled') return new ProviderError('cancelled', 'cancelled', 'ollama');
    if (isAbortError(e)) return new ProviderError('cancelled', 'cancelled', 'ollama');
    const code = errorCode(e);
    if (code === 'ECONNREFUSED')
      return new ProviderError('unreachable', `Ollama is not running at ${this.host} (start it with \`ollama serve\`)`, 'ollama');
    if (code && /^(ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EPIPE|UND_ERR_)/.test(code))
      return new ProviderError('unreachable', `Cannot reach Ollama at ${this.host} (${code})`, 'ollama');
    const status = (e as { status_code?: unknown }).status_code;
    const message = (e as Error).message || String(e);
    if (typeof status === 'number') {
      if (status === 404 && /not found|pull/i.test(message)) return this.missingAfterList(message);
      if (status === 429) return new ProviderError('rate-limited', `Ollama: ${message}`, 'ollama');
      if (status === 503) return new ProviderError('overloaded', `Ollama is busy: ${message}`, 'ollama');
      if (status >= 400 && status < 500) return new ProviderError('bad-request', `Ollama rejected the request: ${message}`, 'ollama');
      return new ProviderError('server-error', `Ollama error ${status}: ${message}`, 'ollama');
    }
    return new ProviderError('server-error', `Ollama: ${message}`, 'ollama');
  }

  /** A 404 mid-session (model removed since the first check); streamChat adds the installed list. */
  private missingAfterList(message: string): ProviderError {
    this.ready = undefined;
    return new ProviderError('model-missing', `Ollama at ${this.host}: ${message}`, 'ollama');
  }
}

function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new ProviderError('cancelled', 'cancelled', 'ollama'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new ProviderError('cancelled', 'cancelled', 'ollama'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function mapDoneReason(raw: string | undefined): DoneReason {
  if (raw === 'stop' || raw === undefined || raw === '') return 'stop';
  if (raw === 'length') return 'length';
  return 'other';
}
