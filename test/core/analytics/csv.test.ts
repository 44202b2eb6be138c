import assert from 'node:assert/strict';
import { statsToCsv } from '../../../src/core/analytics/csv';
import { computeStats } from '../../../src/core/analytics/stats';
import { ev, task } from '../sessions/fixtures';

describe('statsToCsv', () => {
  it('writes one row per day and a total row equal to the column sums', () => {
    const events = [
      ev('2025-03-01T10:00:00.000Z', { type: 'task', payload: task({ tokensIn: 10, tokensOut: 5, cloudCostUsd: 0.5 }) }),
      ev('2025-03-02T10:00:00.000Z', {
        type: 'task',
        payload: task({ route: 'cloud', provider: 'anthropic', model: 'c', escalated: true, costUsd: 0.25, cloudCostUsd: 0.25, tokensIn: 1, tokensOut: 2 }),
      }),
      ev('2025-03-02T11:00:00.000Z', { type: 'policy', payload: { source: 'cli', files: 1, findings: 3, byRule: {}, bySeverity: { error: 1, 'warning,odd': 2 } } }),
    ];
    const csv = statsToCsv(computeStats(events, { now: new Date('2025-03-02T12:00:00Z') }));
    assert.equal(
      csv,
      [
        'date,local,cloud,escalated,tasks,tokens_in,tokens_out,cost_usd,cloud_cost_usd,savings_usd,findings,findings_error,"findings_warning,odd"',
        '2025-03-01,1,0,0,1,10,5,0.000000,0.500000,0.500000,0,0,0',
        '2025-03-02,0,0,1,1,1,2,0.250000,0.250000,0.000000,3,1,2',
        'total,1,0,1,2,11,7,0.250000,0.750000,0.500000,3,1,2',
        '',
      ].join('\r\n'),
    );
  });
});
