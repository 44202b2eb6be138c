import assert from 'node:assert/strict';
import { computeStats } from '../../../src/core/analytics/stats';
import type { SessionEvent } from '../../../src/core/sessions/events';
import { ev, task } from '../sessions/fixtures';

const claude = { route: 'cloud' as const, provider: 'anthropic' as const, model: 'claude-sonnet' };

/** Hand-computed figures for these events are spelled out in each test. */
function fixture(): SessionEvent[] {
  return [
    ev('2025-03-01T09:00:00.000Z', { type: 'session-start' as never, payload: { host: 'editor', workspace: 'w', version: '1' } as never }),
    ev('2025-03-01T10:00:00.000Z', { type: 'task', payload: task({ totalMs: 100, ttftMs: 10, tokensIn: 100, tokensOut: 50, cloudCostUsd: 0.5 }) }), // t1
    ev('2025-03-01T11:00:00.000Z', { type: 'task', payload: task({ totalMs: 300, ttftMs: 30, tokensIn: 200, tokensOut: 100, cloudCostUsd: 1 }) }), // t2
    ev('2025-03-01T12:00:00.000Z', {
      type: 'task',
      payload: task({ ...claude, escalated: true, escalationReason: 'low-confidence', totalMs: 2000, ttftMs: 400, tokensIn: 300, tokensOut: 200, costUsd: 1.25, cloudCostUsd: 1.25 }),
    }), // t3
    ev('2025-03-02T08:00:00.000Z', { type: 'task', payload: task({ ...claude, mode: 'cloud', totalMs: 1000, ttftMs: 200, tokensIn: 100, tokensOut: 100, costUsd: 0.5, cloudCostUsd: 0.5 }) }), // t4
    ev('2025-03-02T09:00:00.000Z', { type: 'task', payload: task({ totalMs: 200, tokensIn: 50, tokensOut: 50, cloudCostUsd: 0.25 }) }), // t5, no ttft
    ev('2025-03-02T10:00:00.000Z', { type: 'task', payload: task({ ok: false, error: 'ollama down', totalMs: 5, tokensIn: 10, tokensOut: 0, cloudCostUsd: 0 }) }), // t6
    ev('2025-03-02T11:00:00.000Z', {
      type: 'task',
      payload: task({ ...claude, escalated: true, escalationReason: 'syntax-error', totalMs: 1500, ttftMs: 300, tokensIn: 100, tokensOut: 100, costUsd: 0.75, cloudCostUsd: 0.75 }),
    }), // t7
    ev('2025-03-02T12:00:00.000Z', { type: 'policy', payload: { source: 'cli', files: 10, findings: 5, byRule: { a: 4, b: 1 }, bySeverity: { error: 2, warning: 3 } } }),
    ev('2025-03-04T10:00:00.000Z', {
      type: 'task',
      payload: task({ ...claude, escalated: true, escalationReason: 'low-confidence', totalMs: 3000, ttftMs: 600, tokensIn: 100, tokensOut: 100, costUsd: 1, cloudCostUsd: 1 }),
    }), // t8
    ev('2025-03-04T11:00:00.000Z', { type: 'policy', payload: { source: 'editor', files: 3, findings: 1, byRule: { c: 1 }, bySeverity: { warning: 1 } } }),
    ev('2025-03-04T12:00:00.000Z', { type: 'handoff', payload: { path: 'h.md', score: 80, passed: true, gaps: 1, action: 'validate' } }),
    ev('2025-03-04T12:30:00.000Z', { type: 'handoff', payload: { path: 'h.md', score: 40, passed: false, gaps: 5, action: 'validate' } }),
    ev('2025-03-04T13:00:00.000Z', { type: 'decision', payload: { title: 'x', decision: 'y' } }),
    // Kept as generic by the reader: never counted as tasks.
    { v: 1, id: 'g1', time: '2025-03-04T14:00:00.000Z', type: 'agent-step', payload: { costUsd: 99 }, generic: true },
    { v: 1, id: 'g2', time: '2025-03-04T14:00:00.000Z', type: 'task', payload: { costUsd: 99 }, generic: true },
  ];
}

const now = new Date('2025-03-05T12:00:00Z');

describe('computeStats', () => {
  it('counts tasks by route, with escalated tasks in their own bucket', () => {
    const s = computeStats(fixture(), { now });
    assert.deepEqual(s.tasks, { total: 8, ok: 7, failed: 1, byRoute: { local: 4, cloud: 1, escalated: 3 } });
    assert.deepEqual(s.tokens, { in: 960, out: 700 });
    assert.equal(s.eventsByType.task, 9); // 8 typed + 1 generic line of type task
    assert.equal(s.eventsByType['agent-step'], 1);
  });

  it('computes cost and savings vs all-Claude including local runs', () => {
    const s = computeStats(fixture(), { now });
    // cost 1.25 + 0.5 + 0.75 + 1; cloud 0.5 + 1 + 1.25 + 0.5 + 0.25 + 0 + 0.75 + 1
    assert.deepEqual(s.cost, { usd: 3.5, cloudUsd: 5.25, savingsUsd: 1.75, savingsRatio: 1.75 / 5.25 });
  });

  it('takes the extra cost of an escalation out of the savings', () => {
    const local = ev('2025-03-01T10:00:00.000Z', { type: 'task', payload: task({ tokensIn: 100, tokensOut: 50, cloudCostUsd: 0.4 }) });
    // Tried locally, then Claude: paid 0.6 where going to Claude directly would have cost 0.5.
    const escalated = ev('2025-03-01T11:00:00.000Z', {
      type: 'task',
      payload: task({ ...claude, route: 'local', escalated: true, escalationReason: 'too short', costUsd: 0.6, cloudCostUsd: 0.5, extraCostUsd: 0.1, localTokensIn: 90, localTokensOut: 10, cloudTokensIn: 400, cloudTokensOut: 60 }),
    });
    const s = computeStats([local, escalated], { now });
    assert.equal(s.escalation.extraCostUsd, 0.1);
    assert.equal(Math.round(s.cost.savingsUsd * 1e6) / 1e6, 0.3, '0.4 saved locally, minus the 0.1 the escalation cost extra');
    assert.equal(Math.round(s.daily[0]!.savingsUsd * 1e6) / 1e6, 0.3);
  });

  it('reports the escalation rate over local attempts and a reasons histogram', () => {
    const s = computeStats(fixture(), { now });
    assert.equal(s.escalation.count, 3);
    assert.equal(s.escalation.localAttempts, 7);
    assert.equal(s.escalation.rate, 3 / 7);
    assert.deepEqual(s.escalation.reasons, [
      { reason: 'low-confidence', count: 2 },
      { reason: 'syntax-error', count: 1 },
    ]);
  });

  it('gives nearest-rank latency and TTFT percentiles per provider and model, failures excluded', () => {
    const s = computeStats(fixture(), { now });
    assert.deepEqual(s.models, [
      // latency [1000,1500,2000,3000]: p50 rank ceil(2)=2, p95 rank ceil(3.8)=4; ttft [200,300,400,600]
      { provider: 'anthropic', model: 'claude-sonnet', tasks: 4, failed: 0, tokensIn: 600, tokensOut: 500, costUsd: 3.5, latencyP50Ms: 1500, latencyP95Ms: 3000, ttftP50Ms: 300, ttftP95Ms: 600, ttftSamples: 4 },
      // ok latency [100,200,300] (the 5 ms failure excluded): p50 rank 2, p95 rank ceil(2.85)=3; ttft [10,30]: ranks 1 and 2
      { provider: 'ollama', model: 'qwen2.5-coder:7b', tasks: 4, failed: 1, tokensIn: 360, tokensOut: 200, costUsd: 0, latencyP50Ms: 200, latencyP95Ms: 300, ttftP50Ms: 10, ttftP95Ms: 30, ttftSamples: 2 },
    ]);
  });

  it('aggregates policy findings, handoffs and decisions', () => {
    const s = computeStats(fixture(), { now });
    assert.deepEqual(s.policy, { runs: 2, files: 13, findings: 6, bySeverity: { error: 2, warning: 4 }, byRule: { a: 4, b: 1, c: 1 } });
    assert.deepEqual(s.handoffs, { validations: 2, passed: 1, averageScore: 60 });
    assert.equal(s.decisions, 1);
  });

  it('builds a gap-filled daily series up to now whose sums match the totals', () => {
    const s = computeStats(fixture(), { now });
    assert.deepEqual(
      s.daily.map((d) => [d.date, d.local, d.cloud, d.escalated, d.costUsd, d.cloudCostUsd, d.savingsUsd, d.findings]),
      [
        ['2025-03-01', 2, 0, 1, 1.25, 2.75, 1.5, 0],
        ['2025-03-02', 2, 1, 1, 1.25, 1.5, 0.25, 5],
        ['2025-03-03', 0, 0, 0, 0, 0, 0, 0],
        ['2025-03-04', 0, 0, 1, 1, 1, 0, 1],
        ['2025-03-05', 0, 0, 0, 0, 0, 0, 0],
      ],
    );
    assert.deepEqual(s.daily[1].findingsBySeverity, { error: 2, warning: 3 });
    assert.equal(s.daily.reduce((a, d) => a + d.costUsd, 0), s.cost.usd);
    assert.equal(s.daily.reduce((a, d) => a + d.tokensIn, 0), s.tokens.in);
  });

  it('filters by period: since inclusive, until exclusive', () => {
    const s = computeStats(fixture(), { now, since: new Date('2025-03-02T08:00:00Z'), until: new Date('2025-03-04T00:00:00Z') });
    assert.deepEqual(s.tasks.byRoute, { local: 2, cloud: 1, escalated: 1 }); // t4..t7
    assert.deepEqual(s.daily.map((d) => d.date), ['2025-03-02', '2025-03-03']);
    assert.equal(s.period.since, '2025-03-02T08:00:00.000Z');
    assert.equal(s.period.until, '2025-03-04T00:00:00.000Z');
    assert.equal(s.cost.usd, 1.25);
  });

  it('buckets days at the given UTC offset', () => {
    const events = [ev('2025-03-02T03:00:00.000Z', { type: 'task', payload: task() })];
    assert.equal(computeStats(events, { now: new Date('2025-03-02T04:00:00Z') }).daily[0].date, '2025-03-02');
    const ny = computeStats(events, { now: new Date('2025-03-02T04:00:00Z'), utcOffsetMinutes: -300 });
    assert.deepEqual(ny.daily.map((d) => [d.date, d.local]), [['2025-03-01', 1]]);
  });

  it('returns zeros and no optional ratios for no events', () => {
    const s = computeStats([], { now });
    assert.equal(s.tasks.total, 0);
    assert.equal(s.cost.savingsRatio, undefined);
    assert.equal(s.escalation.rate, undefined);
    assert.deepEqual(s.daily, []);
    assert.deepEqual(s.models, []);
    // With a period start the chart still shows the period's empty days.
    assert.equal(computeStats([], { now, since: new Date('2025-02-27T12:00:00Z') }).daily.length, 7);
  });

  it('clamps an unbounded since to the first event instead of filling decades', () => {
    const events = [ev('2025-03-04T10:00:00.000Z', { type: 'task', payload: task() })];
    const s = computeStats(events, { now, since: new Date(0) });
    assert.deepEqual(s.daily.map((d) => d.date), ['2025-03-04', '2025-03-05']);
  });
});
