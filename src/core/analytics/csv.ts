import type { DailyPoint, Stats } from './stats';

const BASE_COLUMNS = ['date', 'local', 'cloud', 'escalated', 'tasks', 'tokens_in', 'tokens_out', 'cost_usd', 'cloud_cost_usd', 'savings_usd', 'findings'];

/**
 * One CSV table: a row per day of the period, then a `total` row with the period's summary (which equals the
 * column sums). Severity columns (`findings_<severity>`) follow the base columns, one per severity seen.
 * Money keeps 6 decimals; RFC 4180 quoting.
 */
export function statsToCsv(stats: Stats): string {
  const severities = Object.keys(stats.policy.bySeverity).sort();
  const header = [...BASE_COLUMNS, ...severities.map((s) => `findings_${s}`)];
  const rows: string[] = [header.map(cell).join(',')];
  const row = (date: string, d: Omit<DailyPoint, 'date'>) =>
    [
      date,
      d.local,
      d.cloud,
      d.escalated,
      d.local + d.cloud + d.escalated,
      d.tokensIn,
      d.tokensOut,
      money(d.costUsd),
      money(d.cloudCostUsd),
      money(d.savingsUsd),
      d.findings,
      ...severities.map((s) => d.findingsBySeverity[s] ?? 0),
    ]
      .map(cell)
      .join(',');
  for (const d of stats.daily) rows.push(row(d.date, d));
  rows.push(
    row('total', {
      ...stats.tasks.byRoute,
      tokensIn: stats.tokens.in,
      tokensOut: stats.tokens.out,
      costUsd: stats.cost.usd,
      cloudCostUsd: stats.cost.cloudUsd,
      savingsUsd: stats.cost.savingsUsd,
      findings: stats.policy.findings,
      findingsBySeverity: stats.policy.bySeverity,
    }),
  );
  return `${rows.join('\r\n')}\r\n`;
}

function money(n: number): string {
  // Float sums leave 1e-17 tails and -0; six decimals is below a token's price.
  const s = n.toFixed(6);
  return s === '-0.000000' ? '0.000000' : s;
}

function cell(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
