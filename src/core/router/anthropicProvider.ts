import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type { Tool as AnthropicTool } from '@anthropic-ai/sdk/resources/messages/messages';
import { CallScope, DEFAULT_CLAUDE_TOTAL_MS, DEFAULT_FIRST_TOKEN_MS, DEFAULT_IDLE_MS, deadlineMessage, type Deadlines } from './deadlines';
import { toAnthropic, normaliseArgs, type Conversation } from './conversation';
import { ProviderError, isAbortError } from './errors';
import type { DoneReason, LlmProvider, StreamEvent, StreamOptions } from './provider';
import { toAnthropicTools, type ToolDefinition } from './tools';

/** Current, non-deprecated Sonnet (the SDK's deprecation table lists claude-sonnet-4-5 as deprecated). */
export const DEFAULT_CLAUDE_MODEL = 'claude-sonnet-5-5';

export const NO_KEY_MESSAGE =
  'No Anthropic API key: set ANTHROPIC_API_KEY (CLI) or run "llmgenie: Set Anthropic API Key" (editor)';

export interface AnthropicProviderOptions {
  /** Undefined or empty: every call fails with reason 'no-key' (never falls back to SDK credential discovery). */
  apiKey?: string;
  baseURL?: string;
  model?: string;
  /** The SDK's own retries (429, 5xx, 529 overloaded, connection errors), honouring `retry-after`. Default 2. */
  maxRetries?: number;
  /** From the request (retries included) until the first token: a hung API falls back this soon. Default 10 s. */
  firstTokenTimeoutMs?: number;
  /** Longest silence between stream events once the answer streams. Default 30 s. */
  idleTimeoutMs?: number;
  /** The whole call, retries included; also the SDK's own per-attempt `timeout`. Default 300 s. */
  totalTimeoutMs?: number;
  maxOutputTokens?: number;
  contextWindow?: number;
  fetch?: typeof fetch;
}

export class AnthropicProvider implements LlmProvider {
  readonly id = 'anthropic' as const;
  readonly model: string;
  readonly hasKey: boolean;
  private readonly client: Anthropic | undefined;
  private readonly deadlines: Required<Deadlines>;
  private readonly maxOutputTokens: number;
  private readonly window: number;
  private readonly baseURL: string;
  private readonly toolCache = new WeakMap<readonly ToolDefinition[], AnthropicTool[]>();

  constructor(opts: AnthropicProviderOptions) {
    this.model = opts.model || DEFAULT_CLAUDE_MODEL;
    this.deadlines = {
      firstTokenMs: opts.firstTokenTimeoutMs ?? DEFAULT_FIRST_TOKEN_MS,
      idleMs: opts.idleTimeoutMs ?? DEFAULT_IDLE_MS,
      totalMs: opts.totalTimeoutMs ?? DEFAULT_CLAUDE_TOTAL_MS,
    };
    this.maxOutputTokens = opts.maxOutputTokens ?? 4096;
    this.window = opts.contextWindow ?? 200_000;
    this.baseURL = opts.baseURL || 'https://api.anthropic.com';
    this.hasKey = !!opts.apiKey;
    this.client = opts.apiKey
      ? new Anthropic({
          apiKey: opts.apiKey,
          baseURL: this.baseURL,
          maxRetries: opts.maxRetries ?? 2,
          timeout: this.deadlines.totalMs,
          ...(opts.fetch ? { fetch: opts.fetch } : {}),
        })
      : undefined;
  }

  async contextWindow(): Promise<number> {
    return this.window;
  }

  async *streamChat(conversation: Conversation, options: StreamOptions = {}): AsyncGenerator<StreamEvent> {
    if (!this.client) throw new ProviderError('no-key', NO_KEY_MESSAGE, 'anthropic');
    const scope = new CallScope(options.signal, this.deadlines);
    const { system, messages } = toAnthropic(conversation);
    const tools = options.tools?.length ? this.tools(options.tools) : undefined;
    try {
      const stream = await this.client.messages.create(
        {
          model: this.model,
          max_tokens: options.maxOutputTokens ?? this.maxOutputTokens,
          messages,
          ...(system !== undefined ? { system } : {}),
          ...(tools ? { tools } : {}),
          stream: true,
        },
        { signal: scope.signal },
      );
      scope.bump();
      const usage = { inputTokens: 0, outputTokens: 0 };
      let rawStop: string | undefined;
      const open = new Map<number, { id: string; name: string; json: string }>();
      const thinking = new Map<number, { thinking: string; signature: string }>();
      let stopped = false;
      for await (const ev of stream) {
        // Pings and message_start are signs of life, not tokens: a server that only pings is still hung.
        if (ev.type === 'content_block_delta' || ev.type === 'content_block_start') scope.token();
        else scope.bump();
        switch (ev.type) {
          case 'message_start': {
            const u = ev.message.usage;
            usage.inputTokens = (u.input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);
            usage.outputTokens = u.output_tokens ?? 0;
            break;
          }
          case 'content_block_start':
            if (ev.content_block.type === 'tool_use')
              open.set(ev.index, { id: ev.content_block.id, name: ev.content_block.name, json: '' });
            else if (ev.content_block.type === 'text' && ev.content_block.text) yield { type: 'text', text: ev.content_block.text };
            else if (ev.content_block.type === 'thinking')
              thinking.set(ev.index, { thinking: ev.content_block.thinking, signature: ev.content_block.signature });
            else if (ev.content_block.type === 'redacted_thinking')
              yield { type: 'reasoning', block: { type: 'redacted_thinking', data: ev.content_block.data } };
            break;
          case 'content_block_delta':
            if (ev.delta.type === 'text_delta') yield { type: 'text', text: ev.delta.text };
            else if (ev.delta.type === 'input_json_delta') {
              const t = open.get(ev.index);
              if (t) t.json += ev.delta.partial_json;
            } else if (ev.delta.type === 'thinking_delta') {
              const t = thinking.get(ev.index);
              if (t) t.thinking += ev.delta.thinking;
            } else if (ev.delta.type === 'signature_delta') {
              const t = thinking.get(ev.index);
              if (t) t.signature = ev.delta.signature;
            }
            break;
          case 'content_block_stop': {
            const th = thinking.get(ev.index);
            if (th) {
              thinking.delete(ev.index);
              yield { type: 'reasoning', block: { type: 'thinking', thinking: th.thinking, signature: th.signature } };
            }
            const t = open.get(ev.index);
            if (t) {
              open.delete(ev.index);
              yield { type: 'toolCall', call: { id: t.id, name: t.name, input: parseToolInput(t.json) } };
            }
            break;
          }
          case 'message_delta':
            rawStop = ev.delta.stop_reason ?? rawStop;
            if (typeof ev.usage.output_tokens === 'number') usage.outputTokens = ev.usage.output_tokens;
            if (typeof ev.usage.input_tokens === 'number') usage.inputTokens = Math.max(usage.inputTokens, ev.usage.input_tokens);
            break;
          case 'message_stop':
            stopped = true;
            break;
        }
      }
      // The SDK ends the iteration quietly when aborted, so "no message_stop" must be explained here.
      if (!stopped) {
        if (scope.abortedBy) throw new APIUserAbortError();
        throw new ProviderError('server-error', 'Claude stream ended before message_stop', 'anthropic');
      }
      yield { type: 'done', doneReason: mapStopReason(rawStop), ...(rawStop ? { rawDoneReason: rawStop } : {}), usage };
    } catch (e) {
      throw this.mapError(e, scope);
    } finally {
      scope.dispose();
    }
  }

  private tools(defs: readonly ToolDefinition[]): AnthropicTool[] {
    let t = this.toolCache.get(defs);
    if (!t) this.toolCache.set(defs, (t = toAnthropicTools(defs)));
    return t;
  }

  private mapError(e: unknown, scope: CallScope): ProviderError {
    const by = scope.abortedBy;
    if (by && by !== 'cancelled') return new ProviderError('timeout', deadlineMessage('Claude', by, scope.limitOf(by)), 'anthropic');
    if (e instanceof ProviderError) return e;
    if (by === 'cancelled') return new ProviderError('cancelled', 'cancelled', 'anthropic');
    if (e instanceof APIConnectionTimeoutError) return new ProviderError('timeout', 'Claude API request timed out', 'anthropic');
    if (e instanceof APIUserAbortError || isAbortError(e)) return new ProviderError('cancelled', 'cancelled', 'anthropic');
    if (e instanceof APIConnectionError)
      return new ProviderError('unreachable', `Cannot reach the Claude API at ${this.baseURL}`, 'anthropic');
    if (e instanceof APIError) {
      const type = e.type ?? '';
      const detail = e.apiMessage ?? e.message;
      if (e.status === 529 || type === 'overloaded_error')
        return new ProviderError('overloaded', `Claude is overloaded (${detail})`, 'anthropic');
      if (e.status === 429 || type === 'rate_limit_error')
        return new ProviderError('rate-limited', `Claude rate limit reached (${detail})`, 'anthropic');
      if (e.status === 401 || e.status === 403 || type === 'authentication_error' || type === 'permission_error')
        return new ProviderError('no-key', `Anthropic rejected the API key (${detail})`, 'anthropic', undefined, e.status);
      if (e.status === 408 || type === 'timeout_error') return new ProviderError('timeout', `Claude timed out (${detail})`, 'anthropic');
      if (e.status !== undefined && e.status >= 400 && e.status < 500)
        return new ProviderError('bad-request', `Claude rejected the request (${e.status}: ${detail})`, 'anthropic', undefined, e.status);
      return new ProviderError('server-error', `Claude API error${e.status ? ` ${e.status}` : ''}: ${detail}`, 'anthropic', undefined, e.status);
    }
    return new ProviderError('server-error', `Claude: ${(e as Error).message ?? String(e)}`, 'anthropic');
  }
}

function parseToolInput(json: string): Record<string, unknown> {
  return json.trim() ? normaliseArgs(json) : {};
}

function mapStopReason(raw: string | undefined): DoneReason {
  if (raw === 'end_turn' || raw === 'stop_sequence' || raw === undefined) return 'stop';
  if (raw === 'max_tokens' || raw === 'model_context_window_exceeded') return 'length';
  if (raw === 'tool_use') return 'tool_use';
  return 'other';
}
