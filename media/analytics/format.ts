// Number and label formatting of the dashboard, kept DOM-free so it is unit-tested in Node.
import { usd } from '../../src/core/sessions/describe';

export function dayLabel(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

export function ms(n: number): string {
  if (Math.round(n) < 1000) return `${Math.round(n)} ms`;
  return `${Math.round(n / 100) / 10} s`;
}

export function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** A long category label as up to three lines (chart.js draws an array label line by line). */
export function wrap(text: string, width: number, maxLines = 3): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines.map((l) => clip(l, width));
  return [...lines.slice(0, maxLines - 1), clip(lines.slice(maxLines - 1).join(' '), width)];
}

export function pct(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return '—';
  return `${(r * 100).toFixed(r > 0 && r < 0.1 ? 1 : 0)}%`;
}

/** 1234 → "1.2k", 2_500_000 → "2.5M". */
export function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/** Dollars with the sign in front: "-$1.00", not "$-1.00". */
export function money(n: number): string {
  return n < 0 ? `-${usd(-n)}` : usd(n);
}
