// One-line and header texts for a finished task, shared by the status bar, the results view and the log.
import type { TaskEventPayload } from '../sessions/sink';

export const PROVIDER_LABEL = { ollama: 'Local', anthropic: 'Cloud' } as const;

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Dollars with enough digits to tell small calls apart: $0 for local, $0.0012, $1.23. */
export function formatCost(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

export function formatTokens(n: number): string {
  return n < 10_000 ? String(n) : `${(n / 1000).toFixed(1)}k`;
}

type Summarised = Pick<TaskEventPayload, 'provider' | 'model' | 'reasons' | 'escalated' | 'totalMs' | 'ok'> &
  Partial<Pick<TaskEventPayload, 'escalationReason' | 'error'>>;

/**
 * The status bar's "last decision": `Explain → Local (qwen2.5-coder:7b): short mechanical edit · 0.8 s`. An
 * escalation names why the local draft was rejected; a failure names the error instead of a reason.
 */
export function decisionSummary(title: string, r: Summarised): string {
  const where = `${PROVIDER_LABEL[r.provider]}${r.model ? ` (${r.model})` : ''}`;
  const time = formatDuration(r.totalMs);
  if (r.error === 'cancelled') return `${title} → ${where}: cancelled · ${time}`;
  if (!r.ok && r.error && !r.error.startsWith('answer failed checks')) return `${title} → ${where}: failed: ${oneLine(r.error, 120)} · ${time}`;
  const why = r.escalated ? `escalated: ${oneLine(r.escalationReason ?? 'local answer failed checks', 120)}` : (r.reasons[0] ?? 'no reason given');
  return `${title} → ${where}: ${why} · ${time}`;
}

/** `512 in / 128 out · $0.0021 · first token 120 ms · 0.8 s`; a local answer also shows what Claude would have cost. */
export function metricsLine(r: Pick<TaskEventPayload, 'tokensIn' | 'tokensOut' | 'costUsd' | 'cloudCostUsd' | 'totalMs' | 'provider'> & { ttftMs?: number; error?: string }): string {
  const parts: string[] = [];
  // Providers report usage at the end of a stream: a stopped one has none, which is not "free".
  if (r.error === 'cancelled' && r.tokensIn === 0 && r.tokensOut === 0) parts.push('stopped before usage was reported');
  else {
    parts.push(`${formatTokens(r.tokensIn)} in / ${formatTokens(r.tokensOut)} out`);
    parts.push(r.provider === 'ollama' && r.costUsd === 0 && r.cloudCostUsd > 0 ? `$0 (Claude: ${formatCost(r.cloudCostUsd)})` : formatCost(r.costUsd));
  }
  if (r.ttftMs !== undefined) parts.push(`first token ${formatDuration(r.ttftMs)}`);
  parts.push(`total ${formatDuration(r.totalMs)}`);
  return parts.join(' · ');
}

export function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
