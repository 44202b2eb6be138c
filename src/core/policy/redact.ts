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
