import type { SessionRead } from '../sessions/read';
import { parseSince } from './since';
import { computeStats } from './stats';
import type { Stats } from './stats';

export interface DashboardFigures {
  stats: Stats;
  /** Events (other than session starts) before the period: an empty period can then offer "all time". */
  eventsBeforePeriod: number;
  /** Sessions with at least one event in the period. */
  sessions: number;
}

/**
 * The analytics dashboard's figures for a period: `period` is a `parseSince` duration ('7d', '30d', …) or
 * 'all'. Sessions whose last event is before the period are skipped without touching their events.
 */
export function dashboardFigures(sessions: readonly SessionRead[], period: string, now: Date, utcOffsetMinutes = 0): DashboardFigures {
  let since: Date | undefined;
  if (period !== 'all') {
    const p = parseSince(period, now);
    if (!p.ok) throw new RangeError(p.error);
    since = p.date;
  }
  const sinceIso = since?.toISOString();
  let eventsBeforePeriod = 0;
  let active = 0;
  const inPeriod: SessionRead['events'][] = [];
  for (const s of sessions) {
    // Times are UTC ISO strings written by the store, so string order is time order.
    if (sinceIso && s.summary.end < sinceIso) {
      eventsBeforePeriod += s.summary.eventCount;
      continue;
    }
    let before = 0;
    let inside = 0;
    for (const e of s.events) {
      if (e.type === 'session-start') continue;
      if (sinceIso && Date.parse(e.time) < since!.getTime()) before++;
      else inside++;
    }
    eventsBeforePeriod += before;
    if (inside) active++;
    inPeriod.push(s.events);
  }
  const stats = computeStats(inPeriod.flat(), { ...(since ? { since } : {}), now, utcOffsetMinutes });
  return { stats, eventsBeforePeriod, sessions: active };
}
