import { computeStats } from '../analytics/stats';
import { describeEvent, usd } from './describe';
import type { SessionRead } from './read';
import { count } from '../text/plural';

/** A readable markdown report of one session: facts, summary figures, models, every event, read warnings. */
export function exportSessionMarkdown(session: SessionRead): string {
  const { summary: s, events, warnings } = session;
  const stats = computeStats(events, { now: new Date(s.end || s.start || 0) });
  const out: string[] = [`# Session ${s.id}`, '', '| | |', '|---|---|'];
  const fact = (k: string, v: string | undefined) => {
    if (v) out.push(`| ${k} | ${cell(v)} |`);
  };
  fact('Started', when(s.start));
  fact('Last event', when(s.end));
  fact('Host', s.host);
  fact('Workspace', s.workspace);
  fact('Version', s.version);
  const byType = Object.entries(stats.eventsByType)
    .filter(([t]) => t !== 'session-start')
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  fact('Events', `${s.eventCount}${byType ? ` (${byType})` : ''}`);
  fact('Files', s.files.map((f) => f.split('/').pop()).join(', '));

  const t = stats.tasks;
  out.push('', '## Summary', '');
  out.push(`- Tasks: ${t.total} (local ${t.byRoute.local}, cloud ${t.byRoute.cloud}, escalated ${t.byRoute.escalated}); ${t.ok} ok, ${t.failed} failed`);
  out.push(`- Tokens: ${stats.tokens.in} in, ${stats.tokens.out} out`);
  out.push(`- Cost: ${usd(stats.cost.usd)}; all on Claude it would have been ${usd(stats.cost.cloudUsd)}, saved ${usd(stats.cost.savingsUsd)}`);
  if (stats.escalation.rate !== undefined) {
    const reasons = stats.escalation.reasons.map((r) => `${r.reason} ${r.count}`).join(', ');
    out.push(`- Escalation: ${pct(stats.escalation.rate)} of ${stats.escalation.localAttempts} local attempts${reasons ? ` (${reasons})` : ''}`);
  }
  if (stats.policy.runs) {
    const sev = Object.entries(stats.policy.bySeverity).map(([k, n]) => `${k} ${n}`).join(', ');
    out.push(`- Policy: ${count(stats.policy.findings, 'finding')} in ${count(stats.policy.runs, 'run')}${sev ? ` (${sev})` : ''}`);
  }
  if (stats.decisions) out.push(`- Decisions recorded: ${stats.decisions}`);

  if (stats.models.length) {
    out.push('', '## Models', '', '| Provider | Model | Tasks | Failed | p50 | p95 | TTFT p50 | TTFT p95 | Cost |', '|---|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const m of stats.models) {
      out.push(
        `| ${cell(m.provider)} | ${cell(m.model)} | ${m.tasks} | ${m.failed} | ${ms(m.latencyP50Ms)} | ${ms(m.latencyP95Ms)} | ${ms(m.ttftP50Ms)} | ${ms(m.ttftP95Ms)} | ${usd(m.costUsd)} |`,
      );
    }
  }

  out.push('', '## Events', '', '| Time | Id | Event | Details |', '|---|---|---|---|');
  for (const e of events) {
    const d = describeEvent(e);
    const detail = d.description + (e.redacted ? ` (${e.redacted} secret${e.redacted > 1 ? 's' : ''} masked)` : '');
    out.push(`| ${when(e.time)} | ${cell(e.id)} | ${cell(d.label)} | ${cell(detail)} |`);
  }
  if (warnings.length) {
    out.push('', '## Read warnings', '');
    for (const w of warnings) out.push(`- ${w.file}:${w.line}: ${w.message}`);
  }
  return `${out.join('\n')}\n`;
}

function when(iso: string | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '';
}

function ms(n: number | undefined): string {
  return n === undefined ? '–' : `${Math.round(n)} ms`;
}

function pct(r: number): string {
  return `${(r * 100).toFixed(1)}%`;
}

/** Table cells must stay on one line and must not close the cell early. */
function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
