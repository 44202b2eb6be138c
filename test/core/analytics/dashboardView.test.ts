import assert from 'node:assert/strict';
import { dashboardFigures } from '../../../src/core/analytics/dashboard';
import { summarize } from '../../../src/core/sessions/read';
import type { SessionEvent } from '../../../src/core/sessions/events';
import { compact, money, ms, pct, wrap } from '../../../media/analytics/format';
import { tiles } from '../../../media/analytics/kpis';
import { withAlpha } from '../../../media/analytics/theme';
import { ev, task } from '../sessions/fixtures';

const claude = { route: 'cloud' as const, provider: 'anthropic' as const, model: 'claude-sonnet-5-5' };

function figures(events: SessionEvent[]) {
  const g = { id: '20250301-090000000-aaaaaa', files: ['/ws/a.jsonl'], parts: [1] };
  return dashboardFigures([{ summary: summarize(g, events, 0, 0), events, warnings: [] }], 'all', new Date('2025-03-02T00:00:00.000Z')).stats;
}

describe('analytics dashboard view', () => {
  it('KPI tiles: hand-computed figures for local share, savings, escalation rate and findings', () => {
    const stats = figures([
      ev('2025-03-01T10:00:00.000Z', { type: 'task', payload: task({ cloudCostUsd: 0.3, tokensIn: 12_000, tokensOut: 800 }) }),
      ev('2025-03-01T10:05:00.000Z', { type: 'task', payload: task({ ok: false, cloudCostUsd: 0 }) }),
      ev('2025-03-01T10:10:00.000Z', { type: 'task', payload: task({ ...claude, escalated: true, escalationReason: 'no code block', costUsd: 0.2, cloudCostUsd: 0.2 }) }),
      ev('2025-03-01T10:20:00.000Z', { type: 'task', payload: task({ ...claude, costUsd: 0.5, cloudCostUsd: 0.5 }) }),
      ev('2025-03-01T11:00:00.000Z', { type: 'policy', payload: { source: 'cli', files: 4, findings: 3, byRule: { a: 3 }, bySeverity: { error: 1, warning: 2, info: 0 } } }),
    ]);
    const t = Object.fromEntries(tiles(stats).map((x) => [x.key, x]));
    assert.equal(t.tasks.value, '4');
    assert.equal(t.tasks.sub, '3 ok · 1 failed');
    assert.equal(t.local.value, '50%'); // 2 of 4 answered locally without escalation
    assert.equal(t.local.sub, '2 local · 1 cloud · 1 escalated');
    assert.equal(t.cost.value, '$0.70');
    assert.equal(t.cost.sub, '12k tokens in · 950 out');
    assert.equal(t.savings.value, '$0.30'); // 1.00 all-Claude − 0.70
    assert.equal(t.savings.sub, '30% of $1.00 all-Claude cost');
    assert.equal(t.savings.tone, 'good');
    assert.equal(t.escalation.value, '33%'); // 1 of 3 local attempts
    assert.equal(t.escalation.sub, '1 of 3 local attempts');
    assert.equal(t.escalation.tone, 'warn');
    assert.equal(t.findings.value, '3');
    assert.equal(t.findings.sub, '1 check · 1 error · 2 warning');
    assert.equal(t.findings.tone, 'warn');
  });

  it('KPI tiles say what is missing rather than showing NaN', () => {
    const t = Object.fromEntries(tiles(figures([])).map((x) => [x.key, x]));
    assert.equal(t.local.value, '—');
    assert.equal(t.escalation.value, '—');
    assert.equal(t.escalation.sub, 'no local attempts');
    assert.equal(t.savings.sub, 'nothing would have cost anything');
    assert.equal(t.findings.sub, 'no policy checks');
    const losing = Object.fromEntries(tiles(figures([ev('2025-03-01T10:00:00.000Z', { type: 'task', payload: task({ ...claude, costUsd: 2, cloudCostUsd: 1 }) })])).map((x) => [x.key, x]));
    assert.equal(losing.savings.value, '-$1.00');
    assert.equal(losing.savings.tone, 'warn');
  });

  it('formats durations, shares, token counts and long labels', () => {
    assert.deepEqual([ms(0), ms(999.4), ms(999.6), ms(2000), ms(11_240)], ['0 ms', '999 ms', '1 s', '2 s', '11.2 s']);
    assert.deepEqual([pct(undefined), pct(0), pct(0.0456), pct(0.23), pct(1)], ['—', '0%', '4.6%', '23%', '100%']);
    assert.deepEqual([compact(950), compact(1234), compact(29_890), compact(2_500_000)], ['950', '1.2k', '30k', '2.5M']);
    assert.deepEqual(wrap('code is in python but the file is typescript', 24), ['code is in python but', 'the file is typescript']);
    assert.deepEqual(wrap('short', 24), ['short']);
    assert.deepEqual([money(0), money(0.0042), money(-1)], ['$0.00', '$0.0042', '-$1.00']);
    const long = wrap('a b c d e f g h i j k l m n o p q r s t u v w x y z '.repeat(3), 10, 2);
    assert.equal(long.length, 2);
    assert.ok(long[1].endsWith('…') && long[1].length === 10);
    assert.deepEqual(wrap('x'.repeat(40), 10), [`${'x'.repeat(9)}…`]);
  });

  it('sets the opacity of theme colours in every form themes use, replacing a built-in alpha', () => {
    assert.equal(withAlpha('#3794ff', 0.85), 'rgba(55, 148, 255, 0.85)');
    assert.equal(withAlpha('#3794FF80', 1), 'rgba(55, 148, 255, 1)');
    assert.equal(withAlpha('#fff', 0.5), 'rgba(255, 255, 255, 0.5)');
    assert.equal(withAlpha('rgba(234, 92, 0, 0.33)', 0.85), 'rgba(234, 92, 0, 0.85)'); // Dark Modern charts.orange
    assert.equal(withAlpha('rgb(1 2 3 / 50%)', 2), 'rgba(1, 2, 3, 1)');
    assert.equal(withAlpha('var(--x)', 0.5), 'var(--x)');
  });
});
