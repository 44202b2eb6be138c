import assert from 'node:assert/strict';
import fc from 'fast-check';
import { nearestRank, percentiles } from '../../../src/core/analytics/percentile';

describe('nearestRank', () => {
  it('matches hand-computed ranks', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.deepEqual(percentiles(hundred, [0, 50, 95, 99, 100]), [1, 50, 95, 99, 100]);
    // n=10: p50 rank 5, p95 rank ceil(9.5)=10, p90 rank 9
    assert.deepEqual(percentiles([7, 1, 9, 3, 5, 2, 8, 4, 10, 6], [50, 90, 95]), [5, 9, 10]);
    assert.deepEqual(percentiles([42], [0, 50, 95]), [42, 42, 42]);
    assert.deepEqual(percentiles([], [50]), [undefined]);
    assert.equal(nearestRank([1, 2, 3], 101), undefined);
    assert.equal(nearestRank([1, 2, 3], Number.NaN), undefined);
  });

  it('is the smallest sample with at least p% of samples at or below it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 100 }), (xs, p) => {
        const got = percentiles(xs, [p])[0]!;
        const atOrBelow = (v: number) => xs.filter((x) => x <= v).length / xs.length;
        const expected = Math.min(...xs.filter((v) => atOrBelow(v) * 100 >= p - 1e-9));
        assert.equal(got, expected);
      }),
    );
  });
});
