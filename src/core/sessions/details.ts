import type { SessionEvent } from './events';

export interface EventDetail {
  key: string;
  value: string;
}

const MAX_VALUE = 500;

/**
 * The key: value rows of one event for a tree or a table: envelope facts first, then every payload field in
 * recorded order, each flattened to one line (arrays joined, flat records as `k=v`, deeper values as JSON).
 */
export function eventDetails(e: SessionEvent): EventDetail[] {
  const rows: EventDetail[] = [
    { key: 'time', value: e.time },
    { key: 'id', value: e.id },
  ];
  if (e.redacted) rows.push({ key: 'secrets masked', value: String(e.redacted) });
  if (e.generic) rows.push({ key: 'type', value: `${e.type} (not known to this version)` });
  const payload = e.payload;
  if (payload && typeof payload === 'object' && !Array.isArray(payload)) {
    for (const [key, value] of Object.entries(payload as Record<string, unknown>)) rows.push({ key, value: formatValue(key, value) });
  } else if (payload !== undefined) {
    rows.push({ key: 'payload', value: formatValue('payload', payload) });
  }
  return rows;
}

function formatValue(key: string, v: unknown): string {
  return clip(format(key, v));
}

function format(key: string, v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') {
    if (/usd$/i.test(key)) return `$${v.toFixed(6).replace(/0{1,4}$/, '')}`;
    if (/ms$/i.test(key)) return `${v} ms`;
    return String(v);
  }
  if (typeof v === 'string') return v.replace(/\s*\r?\n\s*/g, ' ⏎ ') || '""';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : format('', x))).join(', ') : '—';
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (!entries.length) return '—';
    if (entries.every(([, x]) => x === null || typeof x !== 'object')) return entries.map(([k, x]) => `${k}=${format('', x)}`).join(', ');
    return JSON.stringify(v);
  }
  return String(v);
}

function clip(s: string): string {
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}
