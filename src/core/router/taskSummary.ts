// One-line and header texts for a finished task, shared by the status bar, the results view and the log.
import type { TaskEventPayload } from '../sessions/sink';
import { countLines } from './budget';
import { languageName } from './calibration';
import { normaliseLanguage } from './language';

export { routeStory } from './routeStory';

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

const TARGET = { local: 'local model', cloud: 'Claude' } as const;

/**
 * The classifier's score (its estimate that the task needs Claude) in words for the answer view's chip:
 * "looks routine: 9% chance it needs Claude". The raw figure stays in the chip's tooltip.
 */
export function scoreInWords(score: number): string {
  const pct = Math.round(Math.min(1, Math.max(0, score)) * 100);
  const looks = pct < 30 ? 'looks routine' : pct < 70 ? 'could go either way' : 'looks demanding';
  return `${looks}: ${pct}% chance it needs Claude`;
}

/** Reasons that describe the router's machinery rather than the task; they stay in the reasons list. */
const MACHINERY = /^(classifier alone:|uncertain:)/;

/**
 * Why a task goes where it goes, in the user's terms: "Rust, unsafe pointer code, 140 lines → Claude". The
 * classifier's own `summary` is used when it gives one (its arrow re-pointed when the route moved after it: this
 * workspace's calibration or the uncertain band); otherwise one is built from the language, reasons and size.
 */
export function routeSummary(
  decision: { route: 'local' | 'cloud'; reasons: readonly string[]; summary?: string },
  finalRoute: 'local' | 'cloud',
  task: { language?: string; context?: string },
  uncertain = false,
): string {
  const then = uncertain ? ' first (unsure: strict checks, escalates on any doubt)' : '';
  if (decision.summary?.trim()) return `${decision.summary.trim().replace(/\s*(?:→|->)\s*[^→]*$/, '')} → ${TARGET[finalRoute]}${then}`;
  const parts: string[] = [];
  const lang = normaliseLanguage(task.language);
  if (lang && lang !== 'plaintext') parts.push(languageName(lang));
  parts.push(...decision.reasons.filter((r) => !MACHINERY.test(r)).slice(0, 2));
  if (task.context?.trim()) {
    const lines = countLines(task.context);
    parts.push(`${lines} line${lines === 1 ? '' : 's'}`);
  }
  return `${parts.join(', ') || 'no code'} → ${TARGET[finalRoute]}${then}`;
}

type Summarised = Pick<TaskEventPayload, 'provider' | 'model' | 'reasons' | 'escalated' | 'totalMs' | 'ok'> &
  Partial<Pick<TaskEventPayload, 'escalationReason' | 'error' | 'extraCostUsd'>> & { routing?: { summary: string; calibration?: string } };

/**
 * The status bar's "last decision": `Explain → Local (qwen2.5-coder:7b): TypeScript, 12 lines → local model · 0.8 s`.
 * An escalation names why the local draft was rejected (and what it cost extra); a failure names the error; a
 * route this workspace's feedback moved says so.
 */
export function decisionSummary(title: string, r: Summarised): string {
  const where = `${PROVIDER_LABEL[r.provider]}${r.model ? ` (${r.model})` : ''}`;
  const time = formatDuration(r.totalMs);
  if (r.error === 'cancelled') return `${title} → ${where}: cancelled · ${time}`;
  if (!r.ok && r.error && !r.error.startsWith('answer failed checks')) return `${title} → ${where}: failed: ${oneLine(r.error, 120)} · ${time}`;
  const extra = r.extraCostUsd ? ` (+${formatCost(r.extraCostUsd)})` : '';
  const why = r.escalated
    ? `escalated from Local to Cloud${extra}: ${oneLine(r.escalationReason ?? 'local answer failed checks', 120)}`
    : (r.routing?.summary ?? r.reasons[0] ?? 'no reason given');
  const learnt = r.routing?.calibration ? `. ${r.routing.calibration}` : '';
  return `${title} → ${where}: ${why}${learnt} · ${time}`;
}

/**
 * `512 in / 128 out · $0.0021 · first token 120 ms · 0.8 s`; a local answer also shows what Claude would have cost,
 * an escalated one its local and cloud tokens and what the escalation cost beyond going to Claude directly.
 */
export function metricsLine(
  r: Pick<TaskEventPayload, 'tokensIn' | 'tokensOut' | 'costUsd' | 'cloudCostUsd' | 'totalMs' | 'provider'> &
    Partial<Pick<TaskEventPayload, 'localTokensIn' | 'localTokensOut' | 'cloudTokensIn' | 'cloudTokensOut' | 'extraCostUsd'>> & { ttftMs?: number; error?: string },
): string {
  const parts: string[] = [];
  // Providers report usage at the end of a stream: a stopped one has none, which is not "free".
  if (r.error === 'cancelled' && r.tokensIn === 0 && r.tokensOut === 0) parts.push('stopped before usage was reported');
  else if (r.localTokensIn !== undefined && r.cloudTokensIn !== undefined && (r.localTokensIn || r.localTokensOut) && (r.cloudTokensIn || r.cloudTokensOut)) {
    parts.push(`local ${formatTokens(r.localTokensIn)} in / ${formatTokens(r.localTokensOut ?? 0)} out`);
    parts.push(`Claude ${formatTokens(r.cloudTokensIn)} in / ${formatTokens(r.cloudTokensOut ?? 0)} out`);
    parts.push(r.extraCostUsd ? `${formatCost(r.costUsd)} (${formatCost(r.extraCostUsd)} more than Claude directly)` : formatCost(r.costUsd));
  } else {
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
