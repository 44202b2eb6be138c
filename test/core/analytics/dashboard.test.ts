import assert from 'node:assert/strict';
import type { z } from 'zod';
import { dashboardFigures } from '../../../src/core/analytics/dashboard';
import { computeStats } from '../../../src/core/analytics/stats';
import type { Stats } from '../../../src/core/analytics/stats';
import type { SessionEvent } from '../../../src/core/sessions/events';
import { summarize } from '../../../src/core/sessions/read';
import type { SessionRead } from '../../../src/core/sessions/read';
import { hostMessageSchema, statsSchema } from '../../../src/webviews/analytics/protocol';
import { ev, task } from '../sessions/fixtures';

// Compile-time: the wire schema and the core type are the same shape both ways.
type Wire = z.infer<typeof statsSchema>;
const toWire = (s: Stats): Wire => s;
const fromWire = (s: Wire): Stats => s;
void toWire;
void fromWire;

function session(id: string, events: SessionEvent[]): SessionRead {
  const g = { id, files: [`/ws/.llmgenie/sessions/${id}.jsonl`], parts: [1] };
  return { summary: summarize(g, events, 0, 0), events, warnings: [] };
}

const start = (time: string) => ev(time, { type: 'session-start' as never, payload: { host: 'editor', workspace: 'w', version: '1' } as never });

function fixture(): SessionRead[] {
  return [
    session('20250310-090000000-bbbbbb', [
      start('2025-03-10T09:00:00.000Z'),
      ev('2025-03-10T10:00:00.000Z', { type: 'task', payload: task({ cloudCostUsd: 0.5 }) }),
      ev('2025-03-12T10:00:00.000Z', { type: 'task', payload: task({ route: 'cloud', provider: 'anthropic', model: 'claude', costUsd: 0.25, cloudCostUsd: 0.25 }) }),
      ev('2025-03-12T11:00:00.000Z', { type: 'policy', payload: { source: 'editor', files: 2, findings: 3, byRule: { a: 3 }, bySeverity: { warning: 3 } } }),
    ]),
    session('20250201-090000000-aaaaaa', [
      start('2025-02-01T09:00:00.000Z'),
      ev('2025-02-01T10:00:00.000Z', { type: 'task', payload: task({ cloudCostUsd: 1 }) }),
      ev('2025-02-01T11:00:00.000Z', { type: 'decision', payload: { title: 't', decision: 'd' } }),
    ]),
  ];
}

describe('dashboardFigures', () => {
  const now = new Date('2025-03-12T12:00:00.000Z');

  it('over all time equals computeStats over every event', () => {
    const all = fixture();
    const f = dashboardFigures(all, 'all', now);
    assert.deepEqual(f.stats, computeStats(all.flatMap((s) => s.events), { now, utcOffsetMinutes: 0 }));
    assert.equal(f.stats.tasks.total, 3);
    assert.equal(f.eventsBeforePeriod, 0);
    assert.equal(f.sessions, 2);
  });

  it('over 7 days counts only the period and reports how many events are older', () => {
    const f = dashboardFigures(fixture(), '7d', now);
    assert.equal(f.stats.period.since, '2025-03-05T12:00:00.000Z');
    assert.equal(f.stats.tasks.total, 2);
    assert.equal(f.stats.cost.cloudUsd, 0.75);
    assert.equal(f.stats.cost.savingsUsd, 0.5);
    assert.equal(f.stats.policy.findings, 3);
    assert.equal(f.stats.decisions, 0);
    assert.equal(f.stats.daily.length, 8); // 5 Mar … 12 Mar
    assert.equal(f.eventsBeforePeriod, 2);
    assert.equal(f.sessions, 1);
  });

  it('splits a session that straddles the period start', () => {
    const f = dashboardFigures(fixture(), '1d', now);
    assert.equal(f.stats.tasks.total, 1);
    assert.equal(f.eventsBeforePeriod, 3);
    assert.equal(f.sessions, 1);
  });

  it('is empty, not failing, without sessions, and rejects a period it cannot read', () => {
    const f = dashboardFigures([], '30d', now);
    assert.equal(f.stats.tasks.total, 0);
    assert.equal(f.stats.daily.length, 31);
    assert.throws(() => dashboardFigures([], 'yesterday', now), RangeError);
  });

  it('produces figures the webview protocol accepts', () => {
    const f = dashboardFigures(fixture(), '90d', now);
    const msg = { type: 'stats', period: '90d', stats: JSON.parse(JSON.stringify(f.stats)), eventsBeforePeriod: 0, sessions: 2, dir: '.llmgenie/sessions' };
    const parsed = hostMessageSchema.safeParse(msg);
    assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues[0]));
    assert.equal(statsSchema.safeParse({ ...f.stats, tasks: { total: -1 } }).success, false);
  });
});
