import { redactSecrets } from '../policy/redact';

/**
 * Masks secrets in every string of a payload (object keys are left alone: they are field names or rule ids, and
 * renaming them would change the shape). Returns a copy; the caller's object is never mutated.
 */
export function redactPayload<T>(value: T): { value: T; count: number } {
  let count = 0;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const r = redactSecrets(v);
      count += r.count;
      return r.text;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, child] of Object.entries(v)) out[k] = walk(child);
      return out;
    }
    return v;
  };
  return { value: walk(value) as T, count };
}
