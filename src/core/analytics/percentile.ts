/**
 * Nearest-rank percentile: the smallest sample such that at least p% of the samples are ≤ it, i.e. the sample at
 * 1-based rank ceil(p/100 · n) of the ascending order (rank 1 for p = 0). Always an observed value, never an
 * interpolation, so "p95 = 812 ms" means a real task took 812 ms. `sortedAsc` must be sorted ascending.
 */
export function nearestRank(sortedAsc: ArrayLike<number>, p: number): number | undefined {
  const n = sortedAsc.length;
  if (n === 0 || !(p >= 0 && p <= 100)) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  return sortedAsc[rank - 1];
}

/** Sorts a copy ascending (numeric) and returns the requested nearest-rank percentiles. */
export function percentiles(samples: readonly number[], ps: readonly number[]): (number | undefined)[] {
  const sorted = Float64Array.from(samples).sort();
  return ps.map((p) => nearestRank(sorted, p));
}

/** One nearest-rank percentile of unsorted samples (0 when there are none), for benches and one-off figures. */
export function percentile(samples: readonly number[], p: number): number {
  return percentiles(samples, [p])[0] ?? 0;
}
