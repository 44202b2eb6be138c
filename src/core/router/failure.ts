// What a failed task tells the user: which of the known failures it was, in words, and the action that fixes it
// first. One place decides this, so the answer view, the status bar and the toasts never give different advice
// (a "Set API Key" button beside a key that is set, say).
import type { FailedCall } from './runTask';

export type FailureKind =
  | 'no-key'
  | 'bad-key'
  | 'unreachable'
  | 'wrong-url'
  | 'model-not-found'
  | 'rate-limited'
  | 'overloaded'
  | 'ollama-down'
  | 'model-missing'
  | 'timeout'
  | 'blocked'
  | 'bad-request'
  | 'server-error';

/** What a button on the failure card does; `setting` is the settings search the "Open Settings" button opens. */
export type FailureAction =
  | { id: 'setKey'; label: string }
  | { id: 'openSettings'; label: string; setting: string }
  | { id: 'retry'; label: string }
  | { id: 'askClaude'; label: string }
  | { id: 'tryLocal'; label: string }
  | { id: 'pullModel'; label: string; model: string };

export interface TaskFailureCard {
  kind: FailureKind;
  provider: 'ollama' | 'anthropic';
  /** One short line: "Claude rejected the API key". */
  title: string;
  /** What happened and what to do, in a sentence or two. */
  detail: string;
  /** The raw message from the provider, for the record (shown small, once). */
  message: string;
  /** First is the fix; the rest are ways on (Retry, the other side). */
  actions: TaskFailureAction[];
}
export type TaskFailureAction = FailureAction;

export interface FailureContext {
  /** A Claude key is set (SecretStorage or ANTHROPIC_API_KEY). */
  keySource: 'secret' | 'env' | 'none';
  mode: 'auto' | 'local' | 'cloud';
  ollamaHost: string;
  ollamaModel: string;
  claudeModel: string;
  /** The configured Claude base URL, when not the default. */
  claudeBaseURL?: string;
}

const RETRY: FailureAction = { id: 'retry', label: 'Retry' };
const ASK_CLAUDE: FailureAction = { id: 'askClaude', label: 'Ask Claude instead' };
const TRY_LOCAL: FailureAction = { id: 'tryLocal', label: 'Try locally' };

/** Which known failure `f` is: from the provider, the router's reason, the HTTP status and whether a key is set. */
export function failureKind(f: FailedCall, keySet: boolean): FailureKind {
  if (f.provider === 'ollama') {
    if (f.reason === 'unreachable') return 'ollama-down';
    if (f.reason === 'model-missing') return 'model-missing';
    if (f.reason === 'overloaded') return 'overloaded';
    if (f.reason === 'rate-limited') return 'rate-limited';
    if (f.reason === 'timeout') return 'timeout';
    if (f.reason === 'bad-request') return 'bad-request';
    return 'server-error';
  }
  switch (f.reason) {
    case 'no-key':
      return keySet ? 'bad-key' : 'no-key';
    case 'unreachable':
      return 'unreachable';
    case 'overloaded':
      return 'overloaded';
    case 'rate-limited':
      return 'rate-limited';
    case 'timeout':
      return 'timeout';
    case 'blocked':
      return 'blocked';
    case 'bad-request':
      // A 404 names either the model (the API's own "model: x" not_found_error) or a path that is not the API.
      if (f.status === 404) return /\bmodel\b/i.test(f.message) ? 'model-not-found' : 'wrong-url';
      return 'bad-request';
    default:
      return 'server-error';
  }
}

/** The card for a task that ended without an answer. */
export function describeFailure(f: FailedCall, ctx: FailureContext): TaskFailureCard {
  const keySet = ctx.keySource !== 'none';
  const kind = failureKind(f, keySet);
  // The other side, when it could answer: Claude needs a key; the local model is offered unless it is the one down.
  const claudeToo = f.provider === 'ollama' && keySet && !f.both;
  const localToo = f.provider === 'anthropic' && !f.both;
  const ways = (...first: FailureAction[]): FailureAction[] => [...first, RETRY, ...(claudeToo ? [ASK_CLAUDE] : []), ...(localToo ? [TRY_LOCAL] : [])];
  const url = ctx.claudeBaseURL ?? 'https://api.anthropic.com';
  const card = (title: string, detail: string, actions: FailureAction[]): TaskFailureCard => ({
    kind, provider: f.provider, title, detail: f.both ? `${detail} The other side could not answer either.` : detail, message: f.message, actions: dedupe(actions),
  });
  switch (kind) {
    case 'no-key':
      return card('No Anthropic API key is set', 'Tasks that need Claude cannot go there until a key is stored (it is kept in the editor\'s secret storage).', [
        { id: 'setKey', label: 'Set API Key' }, ...ways(),
      ]);
    case 'bad-key':
      return card(
        'Anthropic rejected the API key',
        ctx.keySource === 'env'
          ? 'The key comes from the ANTHROPIC_API_KEY environment variable: correct it there and restart the editor.'
          : 'The key in the editor\'s secret storage is wrong, revoked, or lacks access: replace it.',
        ctx.keySource === 'env' ? ways() : [{ id: 'setKey', label: 'Replace API Key' }, ...ways()],
      );
    case 'unreachable':
      return card(`Cannot reach Claude at ${url}`, ctx.claudeBaseURL ? 'Check the base URL (setting llmgenie.claude.baseUrl) and the network.' : 'Check the network connection or proxy.', ways(
        ...(ctx.claudeBaseURL ? [{ id: 'openSettings', label: 'Open Settings', setting: 'llmgenie.claude.baseUrl' } as const] : []),
      ));
    case 'wrong-url':
      return card(`${url} is not the Claude API`, 'It answered 404 for the messages endpoint: the base URL (setting llmgenie.claude.baseUrl) is probably wrong.', [
        { id: 'openSettings', label: 'Open Settings', setting: 'llmgenie.claude.baseUrl' }, ...ways(),
      ]);
    case 'model-not-found':
      return card(`Claude has no model "${ctx.claudeModel}"`, 'The model name in llmgenie.claude.model is unknown to the API, or the key has no access to it.', [
        { id: 'openSettings', label: 'Open Settings', setting: 'llmgenie.claude.model' }, ...ways(),
      ]);
    case 'rate-limited':
      return card(
        f.provider === 'ollama' ? 'Ollama is rate limiting requests' : 'Claude\'s rate limit is reached',
        'Too many requests in a short time; the client already retried. Wait a moment and retry.',
        ways(),
      );
    case 'overloaded':
      return card(f.provider === 'ollama' ? `Ollama at ${ctx.ollamaHost} is busy` : 'Claude is overloaded', 'The server is up but turned the request away for now. Retry in a moment.', ways());
    case 'ollama-down':
      return card(`Ollama is not running at ${ctx.ollamaHost}`, 'Start it (open the Ollama app, or run "ollama serve"), or point llmgenie.ollama.host at where it runs, then retry.', [
        ...(claudeToo ? [ASK_CLAUDE] : []), RETRY, { id: 'openSettings', label: 'Open Settings', setting: 'llmgenie.ollama.host' },
      ]);
    case 'model-missing': {
      const installed = f.availableModels?.length ? `Installed: ${f.availableModels.slice(0, 5).join(', ')}${f.availableModels.length > 5 ? ', …' : ''}.` : 'No models are installed.';
      return card(`Ollama does not have the model ${ctx.ollamaModel}`, `Pull it, or choose an installed one in llmgenie.ollama.model. ${installed}`, [
        { id: 'pullModel', label: `Pull ${ctx.ollamaModel}`, model: ctx.ollamaModel }, { id: 'openSettings', label: 'Open Settings', setting: 'llmgenie.ollama.model' }, ...ways(),
      ]);
    }
    case 'timeout': {
      const setting = f.provider === 'ollama' ? 'llmgenie.ollama.timeoutMs' : 'llmgenie.claude.timeoutMs';
      return card(`${f.provider === 'ollama' ? 'The local model' : 'Claude'} stopped answering`, `Nothing arrived within the time allowed (setting ${setting}). A large model can take long to load the first time.`, [
        ...ways(), { id: 'openSettings', label: 'Open Settings', setting },
      ]);
    }
    case 'blocked':
      return card('Not sent to Claude: the code holds secrets', 'The secrets setting (llmgenie.router.secrets) is "block". Set it to "mask" to send the code with the secrets masked, or answer locally.', [
        ...(localToo ? [TRY_LOCAL] : []), { id: 'openSettings', label: 'Open Settings', setting: 'llmgenie.router.secrets' },
      ]);
    case 'bad-request':
      return card(`${f.provider === 'ollama' ? 'Ollama' : 'Claude'} refused the request`, 'The server did not accept what was sent; the message below says why.', ways());
    case 'server-error':
      return card(`${f.provider === 'ollama' ? 'Ollama' : 'Claude'} failed while answering`, 'A server error, usually passing. Retry.', ways());
  }
}

function dedupe(actions: FailureAction[]): FailureAction[] {
  const seen = new Set<string>();
  return actions.filter((a) => !seen.has(a.id) && !!seen.add(a.id));
}

/**
 * The status bar's health line for a provider after a failed call, in the card's words; undefined when the
 * failure says nothing about the backend (a refused or blocked request: it is up and answering).
 */
export function failureHealth(f: FailedCall, keySet: boolean): { ok: false; text: string } | undefined {
  const text: Partial<Record<FailureKind, string>> = {
    'no-key': 'no API key',
    'bad-key': 'API key rejected',
    unreachable: 'unreachable',
    'wrong-url': 'base URL is not the Claude API',
    'model-not-found': 'model unknown to the API',
    'rate-limited': 'reachable, rate limited',
    overloaded: 'reachable, busy (overloaded)',
    'ollama-down': 'not running',
    'model-missing': 'reachable, model not installed',
    timeout: 'stopped answering (timed out)',
    'server-error': 'reachable, server error',
  };
  const t = text[failureKind(f, keySet)];
  return t ? { ok: false, text: t } : undefined;
}

/** A ProviderError as a FailedCall (the fields the card and the health line read). */
export function failedCall(e: { provider: 'ollama' | 'anthropic'; reason: FailedCall['reason']; message: string; status?: number; availableModels?: readonly string[] }): FailedCall {
  return {
    provider: e.provider, reason: e.reason, message: e.message,
    ...(e.status !== undefined ? { status: e.status } : {}), ...(e.availableModels ? { availableModels: e.availableModels } : {}),
  };
}
