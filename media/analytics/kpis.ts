import type * as z from 'zod/mini';
import { usd } from '../../src/core/sessions/describe';
import type { statsSchema } from '../../src/webviews/analytics/protocol';
import { compact, money, pct } from './format';

type Stats = z.infer<typeof statsSchema>;

interface Tile {
  key: string;
  label: string;
  value: string;
  sub: string;
  tone?: 'good' | 'warn';
  title?: string;
}

export function tiles(s: Stats): Tile[] {
  const t = s.tasks;
  const r = t.byRoute;
  const severities = Object.entries(s.policy.bySeverity)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(' · ');
  return [
    { key: 'tasks', label: 'Tasks', value: String(t.total), sub: `${t.ok} ok · ${t.failed} failed`, tone: t.failed > 0 && t.failed / Math.max(1, t.total) > 0.2 ? 'warn' : undefined },
    {
      key: 'local',
      label: 'Answered locally',
      value: t.total ? pct(r.local / t.total) : '—',
      sub: `${r.local} local · ${r.cloud} cloud · ${r.escalated} escalated`,
      title: 'Tasks the local model answered without escalating to Claude',
    },
    { key: 'cost', label: 'Cost', value: usd(s.cost.usd), sub: `${compact(s.tokens.in)} tokens in · ${compact(s.tokens.out)} out` },
    {
      key: 'savings',
      label: 'Saved vs all-Claude',
      value: money(s.cost.savingsUsd),
      sub:
        s.cost.cloudUsd > 0
          ? `${pct(s.cost.savingsRatio)} of ${usd(s.cost.cloudUsd)} all-Claude cost${s.escalation.extraCostUsd > 0 ? ` · net of ${usd(s.escalation.extraCostUsd)} escalations cost extra` : ''}`
          : 'nothing would have cost anything',
      tone: s.cost.savingsUsd > 0 ? 'good' : s.cost.savingsUsd < 0 ? 'warn' : undefined,
      title: 'What the same tasks would have cost sent to the default Claude model directly, minus what they cost (escalations count against it)',
    },
    {
      key: 'escalation',
      label: 'Escalation rate',
      value: pct(s.escalation.rate),
      sub: s.escalation.localAttempts ? `${s.escalation.count} of ${s.escalation.localAttempts} local attempts` : 'no local attempts',
      tone: (s.escalation.rate ?? 0) > 0.25 ? 'warn' : undefined,
      title: 'How often a local answer failed its checks and went to Claude',
    },
    {
      key: 'findings',
      label: 'Policy findings',
      value: String(s.policy.findings),
      sub: s.policy.runs ? `${s.policy.runs} check${s.policy.runs === 1 ? '' : 's'}${severities ? ` · ${severities}` : ''}` : 'no policy checks',
      tone: (s.policy.bySeverity.error ?? 0) > 0 ? 'warn' : undefined,
    },
  ];
}

/** Rebuilds the KPI row with DOM nodes and textContent only: nothing from the logs is parsed as HTML. */
export function renderKpis(container: HTMLElement, s: Stats): void {
  const nodes = tiles(s).map((tile) => {
    const el = document.createElement('div');
    el.className = `kpi${tile.tone ? ` ${tile.tone}` : ''}`;
    el.dataset.kpi = tile.key;
    if (tile.title) el.title = tile.title;
    const label = document.createElement('div');
    label.className = 'kpi-label';
    label.textContent = tile.label;
    const value = document.createElement('div');
    value.className = 'kpi-value';
    value.textContent = tile.value;
    const sub = document.createElement('div');
    sub.className = 'kpi-sub';
    sub.textContent = tile.sub;
    el.append(label, value, sub);
    return el;
  });
  container.replaceChildren(...nodes);
}
