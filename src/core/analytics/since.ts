export type SinceResult = { ok: true; date: Date } | { ok: false; error: string };

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Parses a period start: a duration back from `now` (`30m`, `24h`, `7d`, `2w`) or an ISO date/time
 * (`2025-03-01`, `2025-03-01T10:00:00Z`; a bare date is midnight UTC). Never throws.
 */
export function parseSince(text: string, now: Date): SinceResult {
  const t = text.trim();
  const rel = /^(\d{1,6})\s*([mhdw])$/i.exec(t);
  if (rel) return { ok: true, date: new Date(now.getTime() - Number(rel[1]) * UNIT_MS[rel[2].toLowerCase()]) };
  if (/^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) {
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00Z` : t.replace(' ', 'T'));
    // Date.parse rolls 2025-02-31 over to March; reject dates that do not round-trip.
    if (Number.isFinite(ms) && validCalendarDate(t.slice(0, 10))) return { ok: true, date: new Date(ms) };
  }
  return { ok: false, error: `cannot read '${text}' as a period: use 30m, 24h, 7d, 2w or an ISO date like 2025-03-01` };
}

function validCalendarDate(ymd: string): boolean {
  const [y, m, d] = ymd.split('-').map(Number);
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}
