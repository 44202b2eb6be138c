import { scanSecrets } from './secrets/scanSecrets';

export interface RedactResult {
  /** The input with every secret replaced by its mask, e.g. `sk-a…[REDACTED:anthropic-api-key]`. */
  readonly text: string;
  readonly count: number;
  /** Distinct secret kinds found, in order of first appearance. */
  readonly kinds: string[];
}

/**
 * Shows at most a short prefix, enough to tell keys apart in a log, never enough to use or guess one.
 * Short values (typed passwords) show nothing.
 */
export function maskSecret(value: string): string {
  const keep = value.length >= 20 ? 4 : value.length >= 12 ? 2 : 0;
  return `${value.slice(0, keep)}…`;
}

/** Masks every secret the security pack detects. Used before any cloud call and before writing a session log. */
export function redactSecrets(text: string): RedactResult {
  const matches = scanSecrets(text, { unquotedValues: true });
  if (!matches.length) return { text, count: 0, kinds: [] };
  const parts: string[] = [];
  const kinds: string[] = [];
  let at = 0;
  for (const m of matches) {
    parts.push(text.slice(at, m.start), `${maskSecret(m.value)}[REDACTED:${m.kind}]`);
    at = m.end;
    if (!kinds.includes(m.kind)) kinds.push(m.kind);
  }
  parts.push(text.slice(at));
  return { text: parts.join(''), count: matches.length, kinds };
}

/** What `redactDeep` applies to each string: `redactSecrets`, or a test's stand-in. */
export type TextRedactor = (text: string) => { text: string; count: number; kinds: readonly string[] };

/** Deeper than any payload we build; past it a value is dropped rather than passed on unread. */
const MAX_DEPTH = 64;
export const TOO_DEEP = '[REDACTED:nested too deep]';

/**
 * Every string in a JSON-like value with secrets masked, with the count and kinds found. Object keys are left
 * alone: they are field names or rule ids, and renaming them would change the shape. Returns a copy; the
 * caller's value is never mutated. Session logs, MCP results and cloud tool-call arguments all go through this.
 */
export function redactDeep<T>(value: T, redact: TextRedactor = redactSecrets): { value: T; count: number; kinds: string[] } {
  let count = 0;
  const kinds: string[] = [];
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') {
      if (!v) return v;
      const r = redact(v);
      if (!r.count) return v;
      count += r.count;
      for (const k of r.kinds) if (!kinds.includes(k)) kinds.push(k);
      return r.text;
    }
    if (v === null || typeof v !== 'object') return v;
    // A cycle or absurd nesting: fail closed, since an unwalked branch could carry a secret out.
    if (depth >= MAX_DEPTH) return TOO_DEEP;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, depth + 1);
    return out;
  };
  return { value: walk(value, 0) as T, count, kinds };
}
