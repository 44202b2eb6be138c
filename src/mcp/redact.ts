import { redactSecrets } from '../core/policy/redact';

/**
 * Every string in a JSON-like value with secrets masked, and how many were masked. Everything the server sends
 * goes through this: a lesson body, a rule example or a handoff note can hold a real key, and the client on the
 * other side is a model whose context may be sent anywhere.
 */
export function redactDeep<T>(value: T): { value: T; count: number } {
  let count = 0;
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') {
      const r = redactSecrets(v);
      count += r.count;
      return r.count ? r.text : v;
    }
    if (v === null || typeof v !== 'object' || depth > 64) return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, depth + 1);
    return out;
  };
  const value2 = walk(value, 0) as T;
  return { value: value2, count };
}

export function redactText(text: string): string {
  return redactSecrets(text).text;
}
