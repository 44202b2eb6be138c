// The results panel: one task's route and model, its streamed answer as markdown, notices as banners, the rejected
// draft after an escalation, and the final tokens / cost / timings. Host events are applied with the same reducer
// the host uses, so both hold the same view; VS Code keeps it (setState) for the serializer after a reload.
import { parseMarkdown } from '../../src/core/router/markdown';
import { reduceAnswer, type AnswerView } from '../../src/core/router/answerView';
import { PROVIDER_LABEL, formatDuration, metricsLine, routeStory, scoreInWords } from '../../src/core/router/taskSummary';
import { hostMessageSchema, persistedStateSchema } from '../../src/webviews/results/protocol';
import type { ResultsHostMessage, ResultsPersistedState, ResultsWebviewMessage } from '../../src/webviews/results/protocol';
import { connect } from '../shared/webviewClient';
import { StreamingMarkdown, h, renderBlock, type CodeActions } from '../shared/markdown';

const client = connect<ResultsWebviewMessage, ResultsPersistedState>('results', persistedStateSchema);
const app = document.getElementById('app')!;
const flashEl = document.getElementById('flash')!;
const post = client.post;

let view: AnswerView | null = client.injected?.view ?? client.saved?.view ?? null;

// ---- the answer, rendered incrementally: blocks that did not change keep their DOM (and the user's selection) ----

let answer: { id: string; md: StreamingMarkdown } | undefined;

function actionsFor(v: AnswerView): CodeActions {
  return {
    canEdit: !!v.source,
    final: v.status === 'done',
    onAction: (action, block) => post({ type: action, id: v.id, block }),
    onLink: (href) => post({ type: 'openLink', href }),
  };
}

/** The answer's element, kept across frames of the same task; a new task starts a fresh one. */
function renderAnswer(v: AnswerView): HTMLElement {
  if (answer?.id !== v.id) answer = { id: v.id, md: new StreamingMarkdown(h('article', { class: 'answer md', 'aria-live': 'polite' })) };
  const actions = actionsFor(v);
  answer.md.update(parseMarkdown(v.answer), actions, `${actions.final}|${actions.canEdit}`);
  return answer.md.el;
}

// ---- the rest of the panel, rebuilt on each frame (small) ----

function header(v: AnswerView): HTMLElement {
  const running = v.status === 'running';
  const stop = h('button', { type: 'button', class: 'stop secondary', title: 'Stop this task' }, 'Stop');
  stop.addEventListener('click', () => post({ type: 'stop', id: v.id }));
  const routed = v.route ? (v.route.route === 'local' ? 'ollama' : 'anthropic') : undefined;
  const provider = v.provider ?? routed;
  const failed = v.status === 'failed';
  const switched = !failed && !!provider && !!routed && provider !== routed;
  const source = h('button', { type: 'button', class: 'link label', title: 'Go to the code this answer is about' }, v.label);
  source.addEventListener('click', () => post({ type: 'openSource', id: v.id }));
  return h(
    'header',
    { class: 'head' },
    h('div', { class: 'title-row' }, h('h1', {}, v.title, ' ', v.source ? source : h('span', { class: 'label' }, v.label)), running && stop),
    h(
      'div',
      { class: 'route-row' },
      // A failed task has no answer to attribute: no Local / Cloud badge, the card below says who failed.
      failed && h('span', { class: 'badge failed' }, 'No answer'),
      !failed && provider && h('span', { class: `badge ${provider === 'ollama' ? 'local' : 'cloud'}`, 'data-provider': provider }, PROVIDER_LABEL[provider]),
      !failed && provider && h('span', { class: 'model' }, v.models[provider]),
      switched && h('span', { class: 'switched', title: 'The router changed provider during the task; the notices say why' }, routeStory({ route: v.route!.route, provider: provider! }).text),
      v.mode === 'auto' && h('span', { class: 'mode', title: 'Router mode (status bar): the classifier chose' }, 'mode Auto'),
      v.route && h('span', { class: 'score', title: `The classifier's estimate that this task needs Claude (score ${v.route.score.toFixed(2)}); above the threshold it goes there` }, scoreInWords(v.route.score)),
      v.route?.uncertain && h('span', { class: 'uncertain', title: 'The router was unsure: the local model answers first, with the strictest checks, and any doubt escalates to Claude' }, 'unsure: local first'),
    ),
    v.route?.summary && h('p', { class: 'why', 'aria-label': 'Why it went there' }, v.route.summary),
    v.route?.calibration && h('p', { class: 'learnt', title: 'Learnt from this workspace\'s outcomes; llmgenie: Reset Learned Routing undoes it' }, v.route.calibration),
    v.route && h('ul', { class: 'reasons', 'aria-label': 'Why this route' }, ...v.route.reasons.filter((r) => r !== v.route?.calibration).map((r) => h('li', {}, r))),
    v.metrics && h('div', { class: 'metrics', 'aria-label': 'Tokens, cost and timings' }, metricsLine(v.metrics)),
  );
}

/** Why there is no answer and the fix first: shown once, in place of the error banner and the toasts. */
function failureCard(v: AnswerView): HTMLElement | undefined {
  const f = v.failure;
  if (!f || v.status === 'running') return undefined;
  const who = f.provider === 'ollama' ? `Local model ${v.models.ollama}` : `Claude ${v.models.anthropic}`;
  const buttons = f.actions.map((a, i) => {
    const b = h('button', { type: 'button', class: i === 0 ? 'primary' : 'secondary', 'data-action': a.id }, a.label);
    b.addEventListener('click', () => post({ type: 'failureAction', id: v.id, action: i }));
    return b;
  });
  return h(
    'section',
    { class: 'failure-card', role: 'alert', 'data-kind': f.kind, 'aria-label': 'Why there is no answer' },
    h('h2', {}, f.title),
    h('p', { class: 'detail' }, f.detail),
    h('p', { class: 'raw' }, `${who}: ${f.message}`),
    h('div', { class: 'task-actions' }, ...buttons),
  );
}

/** Once the answer is in: run the same task on the other side ("Re-run on Claude" after a local answer). */
function rerunActions(v: AnswerView): HTMLElement | undefined {
  if (v.status === 'running' || v.status === 'cancelled' || !v.metrics || v.failure) return undefined;
  const other = v.metrics.provider === 'ollama' ? 'anthropic' : 'ollama';
  const label = other === 'anthropic' ? 'Re-run on Claude' : 'Try locally';
  const title =
    other === 'anthropic'
      ? `Ask ${v.models.anthropic} the same task; the router learns that tasks like this need Claude`
      : `Ask ${v.models.ollama} the same task; applying or copying its answer teaches the router that it was enough`;
  const button = h('button', { type: 'button', class: 'rerun secondary', 'data-target': other, title }, label);
  button.addEventListener('click', () => post({ type: 'rerun', id: v.id, target: other }));
  return h('div', { class: 'task-actions' }, button);
}

function banners(v: AnswerView): HTMLElement | undefined {
  if (!v.banners.length) return undefined;
  return h('section', { class: 'banners' }, ...v.banners.map((b) => h('div', { class: `banner ${b.level}`, role: b.level === 'info' ? 'status' : 'alert' }, b.message)));
}

// Drafts never change once superseded: rendered once per task, reused on every frame.
const draftCache = new Map<string, HTMLElement>();
function drafts(v: AnswerView): HTMLElement[] {
  for (const k of draftCache.keys()) if (!k.startsWith(`${v.id}:`)) draftCache.delete(k);
  return v.drafts.map((d, i) => {
    const key = `${v.id}:${i}:${d.text.length}`;
    const cached = draftCache.get(key);
    if (cached) return cached;
    const body = h('div', { class: 'md' });
    const noop: CodeActions = { canEdit: false, final: false, onAction: () => {}, onLink: (href) => post({ type: 'openLink', href }) };
    for (const b of parseMarkdown(d.text)) body.append(renderBlock(b, noop));
    const el = h('details', { class: 'draft' }, h('summary', {}, `Superseded ${PROVIDER_LABEL[d.provider].toLowerCase()} answer (${v.models[d.provider]}): ${d.reason}`), body);
    draftCache.set(key, el);
    return el;
  });
}

function tools(v: AnswerView): HTMLElement | undefined {
  if (!v.toolCalls.length) return undefined;
  return h(
    'ul',
    { class: 'tools', 'aria-label': 'Tool calls' },
    ...v.toolCalls.map((t) => h('li', {}, `${t.provider === 'ollama' ? 'Local model' : 'Claude'} called `, h('code', {}, t.name), ` ${t.input}`)),
  );
}

function statusLine(v: AnswerView): HTMLElement | undefined {
  const who = v.provider ? v.models[v.provider] : 'the model';
  if (v.status === 'running')
    return h('div', { class: 'status running', role: 'status' }, v.answer ? `Streaming from ${who}…` : `Waiting for ${who}… (${formatDuration(Date.now() - v.startedAt)})`);
  if (v.status === 'cancelled') return h('div', { class: 'status', role: 'status' }, 'Stopped.');
  if (v.status === 'failed') {
    if (v.failure) return undefined;
    const error = v.metrics?.error;
    const said = error && v.banners.some((b) => b.message === error);
    return h('div', { class: 'status error', role: 'alert' }, error && !said ? `No answer: ${error}` : said ? 'No answer (see above).' : 'No answer.');
  }
  return undefined;
}

function empty(): HTMLElement {
  return h(
    'div',
    { class: 'welcome' },
    h('h2', {}, 'No answer yet'),
    h('p', {}, 'Select code in an editor and run llmgenie: Explain, Refactor, Write Tests, Review or Ask… (editor context menu or Command Palette). The answer streams here.'),
  );
}

let frame = 0;
let waitTimer: ReturnType<typeof setInterval> | undefined;

function render(): void {
  frame = 0;
  client.save({ view });
  const v = view;
  if (!v) {
    app.replaceChildren(empty());
    answer = undefined;
    return;
  }
  // The answer element (and its rendered blocks) lives across frames; what surrounds it is rebuilt.
  const article = renderAnswer(v);
  const parts = [header(v), banners(v), ...drafts(v), tools(v), article, failureCard(v), statusLine(v), rerunActions(v)].filter((x): x is HTMLElement => !!x);
  app.replaceChildren(...parts);
  app.dataset.status = v.status;
  app.dataset.task = v.id;
  // While waiting for the first token, tick the elapsed time.
  if (v.status === 'running' && !v.answer) waitTimer ??= setInterval(schedule, 1000);
  else if (waitTimer) {
    clearInterval(waitTimer);
    waitTimer = undefined;
  }
}

function schedule(): void {
  if (!frame) frame = requestAnimationFrame(render);
}

let flashTimer: ReturnType<typeof setTimeout> | undefined;
function flash(text: string, kind: 'info' | 'error'): void {
  flashEl.textContent = text;
  flashEl.className = `flash ${kind} visible`;
  if (flashTimer) clearTimeout(flashTimer);
  flashTimer = setTimeout(() => (flashEl.className = 'flash'), 3500);
}

function onMessage(m: ResultsHostMessage): void {
  if (m.type === 'show') {
    view = m.view;
    schedule();
  } else if (m.type === 'event') {
    if (view && view.id === m.id) {
      view = reduceAnswer(view, m.event);
      schedule();
    }
  } else flash(m.text, m.kind);
}

render();
client.start(hostMessageSchema, onMessage, { type: 'ready' });
