// The analytics dashboard page: renders the host's figures, keeps the chosen period across reloads.
import { DEFAULT_PERIOD, hostMessageSchema, panelStateSchema } from '../../src/webviews/analytics/protocol';
import type { HostMessage, PanelState, Period, WebviewMessage } from '../../src/webviews/analytics/protocol';
import { connect } from '../shared/webviewClient';
import { Charts } from './charts';
import { renderKpis } from './kpis';
import { readTheme } from './theme';

const client = connect<WebviewMessage, PanelState>('analytics', panelStateSchema);
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const PERIOD_TEXT: Record<Period, string> = { '7d': 'the last 7 days', '30d': 'the last 30 days', '90d': 'the last 90 days', all: 'any session log' };

let period = (client.saved ?? client.injected)?.period ?? DEFAULT_PERIOD;
let last: Extract<HostMessage, { type: 'stats' }> | undefined;
const charts = new Charts(readTheme());
const select = $<HTMLSelectElement>('period');
select.value = period;
client.save({ period });

function setPeriod(p: Period): void {
  period = p;
  select.value = p;
  client.save({ period });
  $('status').textContent = 'Updating…';
  client.post({ type: 'setPeriod', period });
}

select.addEventListener('change', () => setPeriod(select.value as Period));
$('show-all').addEventListener('click', () => setPeriod('all'));
$('export-csv').addEventListener('click', () => client.post({ type: 'export', format: 'csv' }));
$('export-json').addEventListener('click', () => client.post({ type: 'export', format: 'json' }));
$('open-sessions').addEventListener('click', () => client.post({ type: 'openSessions' }));

function render(m: Extract<HostMessage, { type: 'stats' }>): void {
  last = m;
  // Which period the figures on screen are for (the select may already show a newer choice).
  document.body.dataset.period = m.period;
  $('error').hidden = true;
  const activity = Object.entries(m.stats.eventsByType).reduce((n, [type, c]) => (type === 'session-start' ? n : n + c), 0);
  const empty = activity === 0;
  $('empty').hidden = !empty;
  $('dashboard').hidden = empty;
  document.querySelectorAll<HTMLButtonElement>('#export-csv, #export-json').forEach((b) => (b.disabled = empty));
  const time = new Date().toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  $('status').textContent = empty ? '' : `${m.sessions} session${m.sessions === 1 ? '' : 's'} · ${activity} events · updated ${time}`;
  if (empty) {
    $('empty-title').textContent = m.period === 'all' ? 'No llmgenie activity yet' : `No llmgenie activity in ${PERIOD_TEXT[m.period]}`;
    $('empty-dir').textContent = m.dir;
    $('empty-older').hidden = m.eventsBeforePeriod === 0 || m.period === 'all';
    $('empty-older-text').textContent = `${m.eventsBeforePeriod} older event${m.eventsBeforePeriod === 1 ? ' is' : 's are'} outside this period.`;
    return;
  }
  renderKpis($('kpis'), m.stats);
  charts.render(m.stats);
}

function onMessage(m: HostMessage): void {
  if (m.type === 'error') {
    $('error').textContent = m.message;
    $('error').hidden = false;
    $('status').textContent = '';
    return;
  }
  // A reply to an older period choice that crossed a newer one in flight.
  if (m.period !== period) return;
  render(m);
}

// The editor swaps theme variables and the body class on a theme change: recolour the charts.
new MutationObserver(() => {
  charts.setTheme(readTheme());
  if (last) render(last);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

client.start(hostMessageSchema, onMessage, { type: 'ready', period });
