import { isProviderError, type ProviderError } from './errors';
import type { LlmProvider, ProviderId, StreamEvent, StreamOptions } from './provider';
import type { Conversation } from './conversation';

export type ProviderOutcome = { provider: ProviderId; ok: true } | { provider: ProviderId; ok: false; error: ProviderError };

/**
 * The same provider, reporting how each call ended: a finished stream means the backend is healthy, a typed
 * error says why not (unreachable, model missing, no key…). The editor uses it for the status-bar health and to
 * offer the right fix (pull the model, start Ollama, set a key) without parsing the router's notice texts.
 * Cancellation says nothing about health and is not reported.
 */
export function observeProvider(inner: LlmProvider, onOutcome: (o: ProviderOutcome) => void): LlmProvider {
  const report = (e: unknown): void => {
    if (isProviderError(e) && e.reason !== 'cancelled') onOutcome({ provider: inner.id, ok: false, error: e });
  };
  return {
    id: inner.id,
    model: inner.model,
    async contextWindow(signal?: AbortSignal): Promise<number> {
      try {
        return await inner.contextWindow(signal);
      } catch (e) {
        report(e);
        throw e;
      }
    },
    async *streamChat(conversation: Conversation, options?: StreamOptions): AsyncGenerator<StreamEvent> {
      try {
        for await (const ev of inner.streamChat(conversation, options)) {
          if (ev.type === 'done') onOutcome({ provider: inner.id, ok: true });
          yield ev;
        }
      } catch (e) {
        report(e);
        throw e;
      }
    },
  };
}
