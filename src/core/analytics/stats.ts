import type { SessionEvent } from '../sessions/events';
import { nearestRank } from './percentile';
import { reasonKinds } from './reasonKind';
import { routeStory } from '../router/routeStory';

export type RouteBucket = 'local' | 'cloud' | 'escalated';

export interface StatsOptions {
  /** Inclusive start of the period; absent = from the first event. */
  since?: Date;
  /** Exclusive end of the period; absent = no upper bound. */
  until?: Date;
  now: Date;
  /** Day buckets are calendar days at this offset from UTC (e.g. `-new Date().getTimezoneOffset()`); default 0. */
  utcOffsetMinutes?: number;
}

export interface ModelStats {
  provider: string;
  model: string;
  tasks: number;
  failed: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  /** Over successful tasks only: failures are often instant errors and would flatter the model. Nearest-rank. */
  latencyP50Ms?: number;
  latencyP95Ms?: number;
  ttftP50Ms?: number;
  ttftP95Ms?: number;
  ttftSamples: number;
}

export interface DailyPoint {
  /** YYYY-MM-DD at the requested UTC offset. */
  date: string;
  local: number;
  cloud: number;
  escalated: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  cloudCostUsd: number;
  savingsUsd: number;
  /** Policy findings reported on that day, total and by severity. */
  findings: number;
  findingsBySeverity: Record<string, number>;
}

export interface Stats {
  period: { since?: string; until?: string; now: string; utcOffsetMinutes: number };
  /** Events in the period by type (generic ones under their own type). */
  eventsByType: Record<string, number>;
  tasks: { total: number; ok: number; failed: number; byRoute: Record<RouteBucket, number> };
  tokens: { in: number; out: number };
  cost: {
    usd: number;
    /** What every task would have cost sent to the default cloud model directly (local runs included). */
    cloudUsd: number;
    /** cloudUsd − usd: net of escalations, whose cost beyond going to Claude directly counts against it. */
    savingsUsd: number;
    /** savingsUsd / cloudUsd, absent when nothing would have cost anything. */
    savingsRatio?: number;
  };
  escalation: {
    count: number;
    /** Tasks first answered by the local model: local + escalated. */
    localAttempts: number;
    /** count / localAttempts: how often the local answer was not good enough. Absent without local attempts. */
    rate?: number;
    /** By kind ("answer too short"), most first; `examples` are the router's own sentences, first few. */
    reasons: { reason: string; count: number; examples?: string[] }[];
    /** What escalated tasks cost beyond sending them to Claude directly (already subtracted from the savings). */
    extraCostUsd: number;
  };
  /** Per provider + model, most tasks first. */
  models: ModelStats[];
  policy: {
    runs: number;
    files: number;
    findings: number;
    bySeverity: Record<string, number>;
    byRule: Record<string, number>;
  };
  handoffs: { validations: number; passed: number; averageScore?: number };
  decisions: number;
  /** One point per calendar day of the period (gaps filled with zeros) for charts. */
  daily: DailyPoint[];
}

const DAY_MS = 86_400_000;
/** Beyond this many days an open-ended `since` is clamped to the first event so the series stays chartable. */
const MAX_FILL_DAYS = 3660;

interface ModelAcc {
  provider: string;
  model: string;
  tasks: number;
  failed: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  latency: number[];
  ttft: number[];
}

function emptyDay(date: string): DailyPoint {
  return {
    date,
    local: 0,
    cloud: 0,
    escalated: 0,
    tokensIn: 0,
    tokensOut: 0,
    costUsd: 0,
    cloudCostUsd: 0,
    savingsUsd: 0,
    findings: 0,
    findingsBySeverity: {},
  };
}

function dayKey(dayIndex: number): string {
  return new Date(dayIndex * DAY_MS).toISOString().slice(0, 10);
}

function add(rec: Record<string, number>, key: string, n: number): void {
  rec[key] = (rec[key] ?? 0) + n;
}

/** The one aggregation behind `llmgenie stats`, the analytics dashboard and the MCP stats tool. */
export function computeStats(events: Iterable<SessionEvent>, opts: StatsOptions): Stats {
  const offsetMin = opts.utcOffsetMinutes ?? 0;
  const offsetMs = offsetMin * 60_000;
  const sinceMs = opts.since ? opts.since.getTime() : -Infinity;
  const untilMs = opts.until ? opts.until.getTime() : Infinity;

  const eventsByType: Record<string, number> = {};
  const byRoute: Record<RouteBucket, number> = { local: 0, cloud: 0, escalated: 0 };
  let ok = 0;
  let failed = 0;
  let tokensIn = 0;
  let tokensOut = 0;
  let costUsd = 0;
  let cloudUsd = 0;
  let extraUsd = 0;
  const reasons = new Map<string, number>();
  const examples = new Map<string, string[]>();
  const models = new Map<string, ModelAcc>();
  const policy = { runs: 0, files: 0, findings: 0, bySeverity: {} as Record<string, number>, byRule: {} as Record<string, number> };
  const handoffs = { validations: 0, passed: 0, scoreSum: 0 };
  let decisions = 0;
  const days = new Map<number, DailyPoint>();
  let minDay = Infinity;
  let maxDay = -Infinity;
  const day = (ms: number): DailyPoint => {
    const idx = Math.floor((ms + offsetMs) / DAY_MS);
    let d = days.get(idx);
    if (!d) {
      d = emptyDay(dayKey(idx));
      days.set(idx, d);
      if (idx < minDay) minDay = idx;
      if (idx > maxDay) maxDay = idx;
    }
    return d;
  };

  for (const e of events) {
    const ms = Date.parse(e.time);
    if (!(ms >= sinceMs && ms < untilMs)) continue;
    eventsByType[e.type] = (eventsByType[e.type] ?? 0) + 1;
    if (e.generic) continue;
    if (e.type === 'task') {
      const p = e.payload;
      // Who answered: a task that ended on Claude after a local start is escalated, one that fell back to Local is local.
      const story = routeStory(p);
      const bucket: RouteBucket = p.escalated || (story.moved && story.side === 'cloud') ? 'escalated' : story.side;
      byRoute[bucket]++;
      if (p.ok) ok++;
      else failed++;
      tokensIn += p.tokensIn;
      tokensOut += p.tokensOut;
      costUsd += p.costUsd;
      cloudUsd += p.cloudCostUsd;
      if (p.escalated) {
        // Logs before Router v2 carry no extraCostUsd (and their baseline counted the escalation as cloud work).
        extraUsd += typeof p.extraCostUsd === 'number' ? p.extraCostUsd : Math.max(0, p.costUsd - p.cloudCostUsd);
        const raw = p.escalationReason || 'unspecified';
        for (const kind of reasonKinds(raw)) {
          reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
          const ex = examples.get(kind) ?? [];
          if (kind !== raw && ex.length < 3 && !ex.includes(raw)) examples.set(kind, [...ex, raw]);
        }
      }
      const key = `${p.provider}\u0000${p.model}`;
      let m = models.get(key);
      if (!m) {
        m = { provider: p.provider, model: p.model, tasks: 0, failed: 0, tokensIn: 0, tokensOut: 0, costUsd: 0, latency: [], ttft: [] };
        models.set(key, m);
      }
      m.tasks++;
      m.tokensIn += p.tokensIn;
      m.tokensOut += p.tokensOut;
      m.costUsd += p.costUsd;
      if (p.ok) {
        m.latency.push(p.totalMs);
        if (p.ttftMs !== undefined) m.ttft.push(p.ttftMs);
      } else m.failed++;
      const d = day(ms);
      d[bucket]++;
      d.tokensIn += p.tokensIn;
      d.tokensOut += p.tokensOut;
      d.costUsd += p.costUsd;
      d.cloudCostUsd += p.cloudCostUsd;
      d.savingsUsd += p.cloudCostUsd - p.costUsd;
    } else if (e.type === 'policy') {
      const p = e.payload;
      policy.runs++;
      policy.files += p.files;
      policy.findings += p.findings;
      const d = day(ms);
      d.findings += p.findings;
      for (const [sev, n] of Object.entries(p.bySeverity)) {
        add(policy.bySeverity, sev, n);
        add(d.findingsBySeverity, sev, n);
      }
      for (const [rule, n] of Object.entries(p.byRule)) add(policy.byRule, rule, n);
    } else if (e.type === 'handoff') {
      if (e.payload.action === 'validate') {
        handoffs.validations++;
        if (e.payload.passed) handoffs.passed++;
        handoffs.scoreSum += e.payload.score;
      }
    } else if (e.type === 'decision') {
      decisions++;
    }
  }

  const total = byRoute.local + byRoute.cloud + byRoute.escalated;
  const localAttempts = byRoute.local + byRoute.escalated;
  const savingsUsd = cloudUsd - costUsd;
  return {
    period: {
      ...(opts.since ? { since: opts.since.toISOString() } : {}),
      ...(opts.until ? { until: opts.until.toISOString() } : {}),
      now: opts.now.toISOString(),
      utcOffsetMinutes: offsetMin,
    },
    eventsByType,
    tasks: { total, ok, failed, byRoute },
    tokens: { in: tokensIn, out: tokensOut },
    cost: { usd: costUsd, cloudUsd, savingsUsd, ...(cloudUsd > 0 ? { savingsRatio: savingsUsd / cloudUsd } : {}) },
    escalation: {
      count: byRoute.escalated,
      localAttempts,
      ...(localAttempts ? { rate: byRoute.escalated / localAttempts } : {}),
      reasons: [...reasons].map(([reason, count]) => ({ reason, count, ...(examples.get(reason)?.length ? { examples: examples.get(reason) } : {}) })).sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1)),
      extraCostUsd: Math.round(extraUsd * 1e6) / 1e6,
    },
    models: [...models.values()].map(finishModel).sort((a, b) => b.tasks - a.tasks || (a.model < b.model ? -1 : 1)),
    policy,
    handoffs: {
      validations: handoffs.validations,
      passed: handoffs.passed,
      ...(handoffs.validations ? { averageScore: handoffs.scoreSum / handoffs.validations } : {}),
    },
    decisions,
    daily: fillDays(days, minDay, maxDay, sinceMs, untilMs, opts.now.getTime(), offsetMs),
  };
}

function finishModel(m: ModelAcc): ModelStats {
  const lat = Float64Array.from(m.latency).sort();
  const ttft = Float64Array.from(m.ttft).sort();
  const out: ModelStats = {
    provider: m.provider,
    model: m.model,
    tasks: m.tasks,
    failed: m.failed,
    tokensIn: m.tokensIn,
    tokensOut: m.tokensOut,
    costUsd: m.costUsd,
    ttftSamples: ttft.length,
  };
  if (lat.length) {
    out.latencyP50Ms = nearestRank(lat, 50);
    out.latencyP95Ms = nearestRank(lat, 95);
  }
  if (ttft.length) {
    out.ttftP50Ms = nearestRank(ttft, 50);
    out.ttftP95Ms = nearestRank(ttft, 95);
  }
  return out;
}

/** The period's days in order: from `since` (or the first event) to `until`/now (or the last event if later). */
function fillDays(
  days: Map<number, DailyPoint>,
  minDay: number,
  maxDay: number,
  sinceMs: number,
  untilMs: number,
  nowMs: number,
  offsetMs: number,
): DailyPoint[] {
  const toDay = (ms: number) => Math.floor((ms + offsetMs) / DAY_MS);
  let first = Number.isFinite(sinceMs) ? toDay(sinceMs) : minDay;
  if (!Number.isFinite(first)) return []; // no events and no period start: nothing to chart
  const last = Number.isFinite(untilMs) ? toDay(untilMs - 1) : Math.max(toDay(nowMs), maxDay);
  if (last - first > MAX_FILL_DAYS) first = Math.max(first, minDay);
  // Keep the recent end when even the events span too long.
  if (last - first > MAX_FILL_DAYS) first = last - MAX_FILL_DAYS;
  const out: DailyPoint[] = [];
  for (let i = first; i <= last; i++) out.push(days.get(i) ?? emptyDay(dayKey(i)));
  return out;
}
