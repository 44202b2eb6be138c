import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseSince } from '../../../src/core/analytics/since';

const now = new Date('2025-03-10T12:00:00Z');
const at = (text: string) => {
  const r = parseSince(text, now);
  return r.ok ? r.date.toISOString() : r.error;
};

describe('parseSince', () => {
  it('reads durations back from now', () => {
    assert.equal(at('7d'), '2025-03-03T12:00:00.000Z');
    assert.equal(at('24h'), '2025-03-09T12:00:00.000Z');
    assert.equal(at('30m'), '2025-03-10T11:30:00.000Z');
    assert.equal(at('2w'), '2025-02-24T12:00:00.000Z');
    assert.equal(at(' 7D '), '2025-03-03T12:00:00.000Z');
  });

  it('reads ISO dates (midnight UTC) and date-times', () => {
    assert.equal(at('2025-03-01'), '2025-03-01T00:00:00.000Z');
    assert.equal(at('2025-03-01T10:30:00Z'), '2025-03-01T10:30:00.000Z');
    assert.equal(at('2025-03-01T10:30:00+02:00'), '2025-03-01T08:30:00.000Z');
  });

  it('rejects anything else with a message', () => {
    for (const bad of ['', 'yesterday', '7', 'd7', '-7d', '2025-02-30', '2025-13-01', '7y']) {
      const r = parseSince(bad, now);
      assert.equal(r.ok, false, bad);
      if (!r.ok) assert.match(r.error, /cannot read/);
    }
  });

  it('never throws', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseSince(s, now)));
  });
});
