import type { ProviderError } from './errors';

/**
 * Problems already told to the person, once per window (editor) or process (CLI, MCP). A `Set<string>` is one;
 * the editor keeps a single set for the whole window (`ExtensionServices.shown`), so the router's notices, the
 * provider-fix toasts and the error toasts cannot disagree about what was said.
 */
export interface ShownOnce {
  has(key: string): boolean;
  add(key: string): unknown;
}

/**
 * The key of a provider problem worth saying once: Ollama down (per host, which its message names), Ollama missing
 * the configured model (per host and model) and no Claude key. Other failures (rate limits, overload) are told
 * every time they happen.
 */
export function providerProblemKey(e: Pick<ProviderError, 'provider' | 'reason' | 'message'>, localModel?: string): string | undefined {
  if (e.provider === 'anthropic' && e.reason === 'no-key') return 'anthropic:no-key';
  if (e.provider !== 'ollama') return undefined;
  // Every Ollama message names its host as "… at <host> …" or "… at <host>: …" (ollamaProvider.ts).
  const host = /\bat (\S+?)[:,]?(?=\s|$)/.exec(e.message)?.[1] ?? '';
  if (e.reason === 'unreachable') return `ollama:unreachable:${host}`;
  if (e.reason === 'model-missing') return modelMissingKey(host, localModel ?? '');
  return undefined;
}

/** Forgotten after a pull of that model, so a later miss is told again. */
export function modelMissingKey(host: string, model: string): string {
  return `ollama:model-missing:${host}/${model}`;
}

/**
 * The set as one task sees it: problems told before the task began stay quiet; one first met in this task is told
 * in all its forms for this task (the toast with the fix and the banner in the task's own view are one telling),
 * and is quiet from the next task on.
 */
export function taskView(shown: Set<string>): ShownOnce {
  const before = new Set(shown);
  return { has: (key) => before.has(key), add: (key) => shown.add(key) };
}
