import assert from 'node:assert/strict';
import { eventDetails } from '../../../src/core/sessions/details';
import { ev, task } from './fixtures';

describe('eventDetails', () => {
  it('lists envelope facts, then payload fields flattened to one line each', () => {
    const e = ev('2025-03-01T10:00:00.000Z', {
      type: 'task',
      payload: task({ costUsd: 0.0123, totalMs: 812, reasons: ['short prompt', 'explain'], files: [], escalated: true, escalationReason: 'no code\nblock' }),
    });
    const rows = Object.fromEntries(eventDetails({ ...e, redacted: 2 }).map((r) => [r.key, r.value]));
    assert.equal(rows.time, '2025-03-01T10:00:00.000Z');
    assert.equal(rows['secrets masked'], '2');
    assert.equal(rows.costUsd, '$0.0123');
    assert.equal(rows.cloudCostUsd, '$0.50');
    assert.equal(rows.totalMs, '812 ms');
    assert.equal(rows.reasons, 'short prompt, explain');
    assert.equal(rows.files, '—');
    assert.equal(rows.escalated, 'yes');
    assert.equal(rows.escalationReason, 'no code ⏎ block');
    assert.deepEqual(eventDetails(e).slice(0, 3).map((r) => r.key), ['time', 'id', 'command']);
  });

  it('shows flat records as k=v, deeper values as JSON, and generic events with their raw payload', () => {
    const policy = ev('2025-03-01T10:00:00.000Z', {
      type: 'policy',
      payload: { source: 'cli', files: 3, findings: 2, byRule: { 'sec-001': 2 }, bySeverity: {} },
    });
    const rows = Object.fromEntries(eventDetails(policy).map((r) => [r.key, r.value]));
    assert.equal(rows.byRule, 'sec-001=2');
    assert.equal(rows.bySeverity, '—');
    const generic = { v: 1 as const, id: 'e9', time: '2025-03-01T10:00:00.000Z', type: 'agent', payload: { step: { n: { m: 1 } }, flat: { n: 1 } }, generic: true as const };
    const g = eventDetails(generic);
    assert.deepEqual(g.find((r) => r.key === 'type'), { key: 'type', value: 'agent (not known to this version)' });
    assert.deepEqual(g.find((r) => r.key === 'step'), { key: 'step', value: '{"n":{"m":1}}' });
    assert.deepEqual(g.find((r) => r.key === 'flat'), { key: 'flat', value: 'n=1' });
    assert.equal(eventDetails({ ...generic, payload: 'x'.repeat(2000) }).at(-1)!.value.length, 500);
  });
});
