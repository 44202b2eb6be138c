import { redactDeep, redactSecrets } from '../core/policy/redact';

/**
 * Everything the server sends goes through `redactDeep` (re-exported from core): a lesson body, a rule example or a
 * handoff note can hold a real key, and the client on the other side is a model whose context may be sent anywhere.
 */
export { redactDeep };

export function redactText(text: string): string {
  return redactSecrets(text).text;
}
