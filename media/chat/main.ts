// The Chat view: one conversation, each turn the user's question with its context chips, then the answer as the
// answer panel shows it (route and model, why in words, notices, superseded drafts, markdown, cost) with Re-run on
// Claude / Try locally. The composer is built once and never re-rendered, so typing and focus survive streaming; the
// page never takes focus by itself (only a `focusInput` from the host after the user opened the view).
import { reduceAnswer, type AnswerView } from '../../src/core/router/answerView';
import { parseMarkdown } from '../../src/core/router/markdown';
import { PROVIDER_LABEL, formatDuration, metricsLine } from '../../src/core/router/taskSummary';
import type { ChatTurn } from '../../src/core/chat/thread';
import { hostMessageSchema, persistedStateSchema, type ChatHostMessage, type ChatPersistedState, type ChatState, type ChatWebviewMessage } from '../../src/webviews/chat/protocol';
import { StreamingMarkdown, h, renderBlock, type CodeActions } from '../shared/markdown';
import { connect } from '../shared/webviewClient';

const client = connect<ChatWebviewMessage, ChatPersistedState>('chat', persistedStateSchema);
const post = client.post;
const app = document.getElementById('app')!;
const flashEl = document.getElementById('flash')!;

let state: ChatState | null = null;
let withContext = true;
let contextLabel: string | undefined;

// ---- the static frame: header, turns, composer ----

// New conversation and the thread list are the view's title-bar buttons (+ and history), as in the editor's own chat.
const titleEl = h('h1', { class: 'thread-title' });
const head = h('header', { class: 'thread-head' }, titleEl);
const turnsEl = h('section', { class: 'turns', 'aria-label': 'Conversation' });
const problemEl = h('p', { class: 'problem' });

const input = h('textarea', { class: 'question', rows: '3', 'aria-label': 'Your question', placeholder: 'Ask about your code… (Enter to send, Shift+Enter for a new line)' }) as HTMLTextAreaElement;
input.value = client.saved?.draft ?? '';
const contextRow = h('div', { class: 'context-row' });
const sendButton = h('button', { type: 'button', class: 'send', title: 'Send (Enter)' }, 'Send');
const stopButton = h('button', { type: 'button', class: 'secondary stop', title: 'Stop this answer' }, 'Stop');
const hint = h('span', { class: 'hint muted' });
const composer = h('form', { class: 'composer' }, contextRow, input, h('div', { class: 'composer-row' }, hint, stopButton, sendButton));
app.replaceChildren(head, problemEl, turnsEl, composer);
app.removeAttribute('aria-busy');

function send(): void {
  const text = input.value.trim();
  if (!text || state?.running) return;
  post({ type: 'send', text, withContext: withContext && !!state?.context });
  input.value = '';
  client.save({ draft: '' });
}
sendButton.addEventListener('click', send);
stopButton.addEventListener('click', () => state?.running && post({ type: 'stop', turnId: state.running }));
composer.addEventListener('submit', (e) => (e.preventDefault(), send()));
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    send();
  }
});
input.addEventListener('input', () => client.save({ draft: input.value }));

function renderComposer(): void {
  const ctx = state?.context ?? null;
  if (ctx?.label !== contextLabel) {
    // A new selection or file is attached again, whatever was removed before.
    contextLabel = ctx?.label;
    withContext = true;
  }
  if (ctx && withContext) {
    const remove = h('button', { type: 'button', class: 'chip-remove', title: 'Do not send this with the question', 'aria-label': `Remove ${ctx.label}` }, '×');
    remove.addEventListener('click', () => ((withContext = false), renderComposer()));
    contextRow.replaceChildren(h('span', { class: `chip ${ctx.kind}`, title: ctx.kind === 'selection' ? 'The selection goes with your question' : 'The open file goes with your question' }, ctx.label, remove));
  } else if (ctx) {
    const add = h('button', { type: 'button', class: 'link', title: 'Send it with the question' }, `+ ${ctx.label}`);
    add.addEventListener('click', () => ((withContext = true), renderComposer()));
    contextRow.replaceChildren(add);
  } else contextRow.replaceChildren(h('span', { class: 'muted' }, 'No editor open: the question goes without code.'));
  const running = !!state?.running;
  stopButton.hidden = !running;
  sendButton.toggleAttribute('disabled', running);
  hint.textContent = running ? 'Answering…' : state?.thread?.turns.length ? 'Follow-ups keep the conversation.' : '';
}

// ---- turns ----

/** Each turn's answer, rendered incrementally (see StreamingMarkdown), so a streaming answer only redraws what is new. */
const answers = new Map<string, StreamingMarkdown>();

function codeActions(t: ChatTurn): CodeActions {
  return { canEdit: true, final: t.answer.status === 'done', onAction: (a, block) => a !== 'apply' && post({ type: a, turnId: t.id, block }), onLink: (href) => post({ type: 'openLink', href }) };
}

// The chat has no single selection to replace: code goes in at the cursor, or to the clipboard.
const dropApply = (block: HTMLElement): void => block.querySelectorAll('.code-apply').forEach((x) => x.remove());

function renderAnswer(t: ChatTurn): HTMLElement {
  let md = answers.get(t.id);
  if (!md) answers.set(t.id, (md = new StreamingMarkdown(h('div', { class: 'answer md' }), dropApply)));
  const actions = codeActions(t);
  md.update(parseMarkdown(t.answer.answer), actions, String(actions.final));
  return md.el;
}

function chips(t: ChatTurn): HTMLElement | undefined {
  if (!t.chips.length) return undefined;
  return h(
    'ul',
    { class: 'chips', 'aria-label': 'Context of this question' },
    ...t.chips.map((c, i) => {
      if (!c.uri) return h('li', { class: `chip ${c.kind}` }, c.label);
      const b = h('button', { type: 'button', class: 'link', title: 'Open it in the editor' }, c.label);
      b.addEventListener('click', () => post({ type: 'openChip', turnId: t.id, index: i }));
      return h('li', { class: `chip ${c.kind}` }, b);
    }),
  );
}

function routeRow(v: AnswerView): HTMLElement {
  const routed = v.route ? (v.route.route === 'local' ? 'ollama' : 'anthropic') : undefined;
  const provider = v.metrics?.provider ?? v.provider ?? routed;
  const switched = !!provider && !!routed && provider !== routed;
  return h(
    'div',
    { class: 'route-row' },
    provider && h('span', { class: `badge ${provider === 'ollama' ? 'local' : 'cloud'}`, 'data-provider': provider }, PROVIDER_LABEL[provider]),
    provider && h('span', { class: 'model' }, v.models[provider]),
    switched && h('span', { class: 'switched' }, `${v.drafts.some((d) => d.reason !== 'replaced at your request') ? 'escalated' : 'switched'} from ${PROVIDER_LABEL[routed!]}`),
    v.route?.uncertain && h('span', { class: 'uncertain', title: 'The router was unsure: local first, strictest checks' }, 'unsure: local first'),
  );
}

function renderTurn(t: ChatTurn, running: boolean): HTMLElement {
  const v = t.answer;
  const notes = v.banners.filter((b) => b.message !== t.note);
  const status =
    v.status === 'running'
      ? h('div', { class: 'status running', role: 'status' }, v.answer ? `Streaming from ${v.provider ? v.models[v.provider] : 'the model'}…` : `Waiting for ${v.provider ? v.models[v.provider] : 'the router'}… (${formatDuration(Date.now() - v.startedAt)})`)
      : v.status === 'cancelled'
        ? h('div', { class: 'status' }, 'Stopped.')
        : v.status === 'failed'
          ? h('div', { class: 'status error', role: 'alert' }, v.metrics?.error && !notes.some((b) => b.message === v.metrics?.error) ? `No answer: ${v.metrics.error}` : 'No answer (see above).')
          : undefined;
  let actions: HTMLElement | undefined;
  if (v.metrics && v.status !== 'running' && !running) {
    const other = v.metrics.provider === 'ollama' ? 'anthropic' : 'ollama';
    const b = h('button', { type: 'button', class: 'rerun secondary', 'data-target': other, title: other === 'anthropic' ? `Ask ${v.models.anthropic} this turn again, with the same conversation before it` : `Ask ${v.models.ollama} this turn again, with the same conversation before it` }, other === 'anthropic' ? 'Re-run on Claude' : 'Try locally');
    b.addEventListener('click', () => post({ type: 'rerun', turnId: t.id, target: other }));
    actions = h('div', { class: 'turn-actions' }, b);
  }
  return h(
    'article',
    { class: 'turn', 'data-turn': t.id, 'data-status': v.status },
    h('div', { class: 'user' }, h('div', { class: 'who' }, 'You'), h('p', { class: 'text' }, t.text), chips(t)),
    h(
      'div',
      { class: 'assistant' },
      routeRow(v),
      v.route?.summary && h('p', { class: 'why', 'aria-label': 'Why it went there' }, v.route.summary),
      t.note && h('p', { class: 'reroute' }, t.note),
      v.route && h('ul', { class: 'reasons', 'aria-label': 'Why this route' }, ...v.route.reasons.filter((r) => r !== v.route?.calibration).map((r) => h('li', {}, r))),
      notes.length > 0 && h('section', { class: 'banners' }, ...notes.map((b) => h('div', { class: `banner ${b.level}` }, b.message))),
      ...v.drafts.map((d) => h('details', { class: 'draft' }, h('summary', {}, `Superseded ${PROVIDER_LABEL[d.provider].toLowerCase()} answer (${v.models[d.provider]}): ${d.reason}`), h('div', { class: 'md' }, ...parseMarkdown(d.text).map((b) => renderBlock(b, { canEdit: false, final: false, onAction: () => {}, onLink: (href) => post({ type: 'openLink', href }) }))))),
      v.toolCalls.length > 0 && h('ul', { class: 'tools' }, ...v.toolCalls.map((c) => h('li', {}, `${c.provider === 'ollama' ? 'Local model' : 'Claude'} called `, h('code', {}, c.name), ` ${c.input}`))),
      renderAnswer(t),
      status,
      v.metrics && h('div', { class: 'metrics', 'aria-label': 'Tokens, cost and timings' }, metricsLine(v.metrics)),
      actions,
    ),
  );
}

function welcome(): HTMLElement {
  const recent = state?.threads ?? [];
  return h(
    'div',
    { class: 'welcome' },
    h('h2', {}, 'Ask about your code'),
    h('p', {}, 'The selection (or the open file) goes with your question. Follow-ups keep the conversation; each answer says where it was routed, why, and what it cost.'),
    recent.length > 0 && h('h2', {}, 'Recent conversations'),
    recent.length > 0 &&
      h(
        'ul',
        { class: 'recent' },
        ...recent.map((r) => {
          const b = h('button', { type: 'button', class: 'link' }, r.title);
          b.addEventListener('click', () => post({ type: 'openThread', id: r.id }));
          return h('li', {}, b, h('span', { class: 'muted' }, ` · ${r.turns} turn${r.turns === 1 ? '' : 's'}`));
        }),
      ),
  );
}

let frame = 0;
let waitTimer: ReturnType<typeof setInterval> | undefined;
function render(): void {
  frame = 0;
  const thread = state?.thread;
  titleEl.textContent = thread?.title ?? 'New conversation';
  problemEl.textContent = state?.problem ?? '';
  problemEl.hidden = !state?.problem;
  const nearBottom = turnsEl.clientHeight + turnsEl.scrollTop >= turnsEl.scrollHeight - 80;
  const turns = thread?.turns ?? [];
  for (const id of [...answers.keys()]) if (!turns.some((t) => t.id === id)) answers.delete(id);
  turnsEl.replaceChildren(...(turns.length ? turns.map((t) => renderTurn(t, !!state?.running)) : [welcome()]));
  renderComposer();
  if (nearBottom && state?.running) turnsEl.scrollTop = turnsEl.scrollHeight;
  const waiting = turns.some((t) => t.answer.status === 'running' && !t.answer.answer);
  if (waiting) waitTimer ??= setInterval(schedule, 1000);
  else if (waitTimer) (clearInterval(waitTimer), (waitTimer = undefined));
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

function onMessage(m: ChatHostMessage): void {
  switch (m.type) {
    case 'state':
      state = m.state;
      break;
    case 'turn': {
      const thread = state?.thread;
      if (!state || thread?.id !== m.threadId) return;
      const i = thread.turns.findIndex((t) => t.id === m.turn.id);
      // A re-run starts over: its blocks are rebuilt from the new answer.
      if (m.turn.answer.status === 'running') answers.delete(m.turn.id);
      thread.turns = i >= 0 ? thread.turns.map((t, k) => (k === i ? m.turn : t)) : [...thread.turns, m.turn];
      if (m.turn.answer.status === 'running') state.running = m.turn.id;
      break;
    }
    case 'event': {
      const turn = state?.thread?.id === m.threadId ? state.thread.turns.find((t) => t.id === m.turnId) : undefined;
      if (!turn) return;
      turn.answer = reduceAnswer(turn.answer, m.event);
      break;
    }
    case 'context':
      if (state) state.context = m.context;
      break;
    case 'flash':
      return flash(m.text, m.kind);
    case 'focusInput':
      // The editor moves focus into the webview after revealing it, possibly after this message: focus the box now
      // and once more when the page's window gets focus.
      input.focus();
      focusWanted = Date.now() + 2000;
      return;
  }
  schedule();
}

let focusWanted = 0;
window.addEventListener('focus', () => {
  if (Date.now() < focusWanted) input.focus();
  focusWanted = 0;
});

render();
client.start(hostMessageSchema, onMessage, { type: 'ready' });
