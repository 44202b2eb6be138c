/**
 * Why a provider call failed, in the terms the router decides on: unreachable / model-missing → try the other
 * side, overloaded / rate-limited (after the SDK's own retries) → fall back to local, cancelled → stop quietly.
 */
export type ProviderErrorReason =
  | 'unreachable'
  | 'model-missing'
  | 'no-key'
  | 'overloaded'
  | 'rate-limited'
  | 'timeout'
  | 'cancelled'
  | 'bad-request'
  /** A 5xx or an error frame in the middle of a stream that fits none of the above. */
  | 'server-error'
  /** Not sent: the secrets policy is "block" and the request carried secrets. */
  | 'blocked';

/** Marks provider errors across bundles: the editor loads the router engine as its own bundle (own class copy). */
const PROVIDER_ERROR = Symbol.for('llmgenie.ProviderError');

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly [PROVIDER_ERROR] = true;
  constructor(
    readonly reason: ProviderErrorReason,
    message: string,
    readonly provider: 'ollama' | 'anthropic',
    /** For 'model-missing': the models the server does have (possibly empty, never unknown). */
    readonly availableModels?: readonly string[],
    /** The HTTP status the server answered with, when there was one (tells a 404 model from a 404 URL). */
    readonly status?: number,
  ) {
    super(message);
  }
}

export function isProviderError(e: unknown): e is ProviderError {
  return e instanceof ProviderError || (typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[PROVIDER_ERROR] === true);
}

/** Walks `cause` chains: Node's fetch wraps ECONNREFUSED as TypeError('fetch failed', {cause}). */
export function errorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const errors = (cur as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length) {
      const inner = errorCode(errors[0]);
      if (inner) return inner;
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isAbortError(e: unknown): boolean {
  const name = (e as { name?: unknown } | undefined)?.name;
  return name === 'AbortError' || name === 'APIUserAbortError' || name === 'TimeoutError';
}
