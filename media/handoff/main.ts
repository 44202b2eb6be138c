// The handoff panel: renders the host's state (score ring, gaps, files, prompt, questions) and posts clicks back.
import { hostMessageSchema, persistedStateSchema } from '../../src/webviews/handoff/protocol';
import type { HandoffHostMessage, HandoffPanelState, HandoffPersistedState, HandoffWebviewMessage } from '../../src/webviews/handoff/protocol';
import { connect } from '../shared/webviewClient';
import { icon, ring } from './svg';
import { verdictReason } from '../../src/core/handoff/verdict';

type Model = Extract<HandoffPanelState, { status: 'ok' }>['model'];
type Child = Node | string | false | undefined;

const client = connect<HandoffWebviewMessage, HandoffPersistedState>('handoff', persistedStateSchema);
const app = document.getElementById('app')!;
const noticeEl = document.getElementById('notice')!;
const post = client.post;

// Saved state is the newest this panel rendered (the injected one dates from when the panel was created, and a
// hidden panel's webview is rebuilt when shown again); a new panel has only the injected state.
let persisted: HandoffPersistedState | undefined = client.saved ?? client.injected;
let busy = false;

function h(tag: string, props: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) if (c !== false && c !== undefined) el.append(c);
  return el;
}

function button(label: string, onClick: () => void, props: Record<string, string | undefined> = {}, ...before: Child[]): HTMLElement {
  const b = h('button', { type: 'button', ...props }, ...before, label);
  b.addEventListener('click', onClick);
  return b;
}

/** Markdown inline code (`x`) as <code>; everything else stays text (never parsed as HTML). */
function inline(text: string): Node[] {
  return text.split(/(`[^`\n]+`)/).filter(Boolean).map((part) => (/^`[^`]+`$/.test(part) ? h('code', {}, part.slice(1, -1)) : document.createTextNode(part)));
}

function lineLink(line: number, title: string): HTMLElement {
  return button(`line ${line}`, () => post({ type: 'goToLine', line }), { class: 'link line-link', title });
}

function section(title: string, count: string | undefined, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card' }, h('h2', {}, title, count !== undefined && h('span', { class: 'count' }, count)), ...children);
}

function header(m: Model): HTMLElement {
  const meta = [
    m.meta.from || m.meta.to ? `${m.meta.from || '?'} → ${m.meta.to || '?'}` : undefined,
    m.meta.created,
    m.meta.branch && `branch ${m.meta.branch}`,
  ].filter(Boolean) as string[];
  const verdict = m.passed ? 'Passed' : 'Failed';
  const counts = `${m.errors} error${m.errors === 1 ? '' : 's'} · ${m.warnings} warning${m.warnings === 1 ? '' : 's'}`;
  const why = verdictReason(m);
  const scoreRing = ring(m.score, m.passed);
  scoreRing.title = why;
  return h(
    'header',
    { class: 'head' },
    scoreRing,
    h(
      'div',
      { class: 'headline' },
      h('h1', {}, m.title),
      meta.length > 0 && h('div', { class: 'meta' }, meta.join(' · ')),
      h(
        'div',
        { class: 'badges' },
        h('span', { class: `badge ${m.passed ? 'pass' : 'fail'}`, 'data-verdict': verdict.toLowerCase() }, verdict),
        h('span', { class: 'muted' }, `minimum ${m.minScore}`),
        h('span', { class: 'muted' }, counts),
      ),
      h('p', { class: `verdict-why ${m.passed ? 'pass' : 'fail'}`, role: 'status' }, why),
      h(
        'div',
        { class: 'source' },
        button(m.file, () => post({ type: 'goToLine', line: 1 }), { class: 'link', title: 'Open HANDOFF.md' }),
        button('Re-validate', () => post({ type: 'revalidate' }), { class: 'secondary small' }),
      ),
    ),
  );
}

function gaps(m: Model): HTMLElement {
  if (!m.gaps.length) return section('Gaps', '0', h('p', { class: 'all-clear' }, icon('pass'), 'No gaps: this package is ready to hand off.'));
  const items = m.gaps.map((g) =>
    h(
      'li',
      { class: `gap ${g.severity}`, 'data-gap': g.id },
      icon(g.severity),
      h('span', { class: 'message' }, ...inline(g.message)),
      g.cost > 0 && h('span', { class: 'cost', title: `costs ${g.cost} points` }, `−${g.cost}`),
      h(
        'span',
        { class: 'actions' },
        lineLink(g.line, 'Go to this line in HANDOFF.md'),
        g.fixLabel !== undefined &&
          button(
            g.fixLabel,
            () => {
              if (busy) return;
              busy = true;
              app.querySelectorAll<HTMLButtonElement>('button.fix').forEach((b) => (b.disabled = true));
              post({ type: 'applyFix', key: g.key });
            },
            { class: 'fix small', title: 'Apply this quick fix to HANDOFF.md (undo works in the editor)' },
          ),
      ),
    ),
  );
  return section('Gaps', String(m.gaps.length), h('ul', { class: 'gaps' }, ...items));
}

function files(m: Model): HTMLElement {
  if (!m.files.length) return section('Files', '0', h('p', { class: 'muted' }, 'No files listed.'));
  const found = m.files.filter((f) => f.exists).length;
  const items = m.files.map((f) => {
    const why = f.problem ? { absolute: 'absolute path', 'outside-workspace': 'outside the workspace', url: 'a URL' }[f.problem] : 'not found';
    return h(
      'li',
      { class: `file ${f.exists ? 'exists' : 'missing'}${f.duplicate ? ' duplicate' : ''}` },
      icon(f.exists ? 'pass' : 'error'),
      h(
        'div',
        { class: 'entry' },
        f.exists
          ? button(f.path, () => post({ type: 'openFile', path: f.path }), { class: 'link path', title: `Open ${f.path}` })
          : h('span', { class: 'path', title: why }, f.path),
        !f.exists && h('span', { class: 'tag' }, why),
        f.duplicate && h('span', { class: 'tag' }, 'listed twice'),
        f.note && h('span', { class: 'note' }, ...inline(f.note)),
      ),
      lineLink(f.line, 'Go to this entry in HANDOFF.md'),
    );
  });
  return section('Files', `${found}/${m.files.length} found`, h('ul', { class: 'files' }, ...items));
}

function prompt(m: Model): HTMLElement {
  if (!m.prompt) return section('Startup prompt', undefined, h('p', { class: 'muted' }, 'No startup prompt yet.'));
  const copy = button('Copy', () => post({ type: 'copyPrompt' }), { class: 'small copy', title: 'Copy the startup prompt to the clipboard' });
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, 'Startup prompt', h('span', { class: 'count' }, `${m.prompt.text.length} characters`), h('span', { class: 'spacer' }), copy),
    m.prompt.review !== undefined && h('p', { class: 'review' }, icon('warning'), `Marked for review${m.prompt.review ? `: ${m.prompt.review}` : ''}.`),
    h('pre', { class: 'prompt' }, m.prompt.text),
  );
}

function questions(m: Model): HTMLElement {
  if (!m.questions.length) return section('Control questions', '0', h('p', { class: 'muted' }, 'No control questions yet.'));
  const items = m.questions.map((q) =>
    h(
      'li',
      { class: 'question' },
      h('div', { class: 'q' }, h('span', {}, ...inline(q.question)), lineLink(q.line, 'Go to this question in HANDOFF.md')),
      q.answer !== undefined
        ? h('div', { class: 'a' }, h('span', { class: 'label' }, 'Expected: '), ...inline(q.answer))
        : h('div', { class: 'a missing' }, 'No expected answer.'),
    ),
  );
  return section('Control questions', String(m.questions.length), h('ol', { class: 'questions' }, ...items));
}

function render(state: HandoffPanelState | undefined): void {
  busy = false;
  if (!state || state.status === 'loading') {
    app.replaceChildren(h('p', { class: 'muted loading' }, `Validating ${state?.file ?? 'the package'}…`));
    return;
  }
  if (state.status === 'error') {
    app.replaceChildren(
      h(
        'div',
        { class: 'error-state' },
        icon('error'),
        h(
          'div',
          {},
          h('h1', {}, 'This handoff package cannot be read'),
          h('p', { class: 'error-message' }, state.message),
          h('p', { class: 'muted' }, state.file),
          h(
            'div',
            { class: 'error-actions' },
            state.line !== undefined && button(`Go to line ${state.line}`, () => post({ type: 'goToLine', line: state.line! }), { class: 'small' }),
            button('Re-validate', () => post({ type: 'revalidate' }), { class: 'secondary small' }),
          ),
        ),
      ),
    );
    return;
  }
  const m = state.model;
  app.replaceChildren(header(m), h('div', { class: 'columns' }, h('div', {}, gaps(m), files(m)), h('div', {}, prompt(m), questions(m))));
}

let noticeTimer: ReturnType<typeof setTimeout> | undefined;
function notice(text: string, kind: 'info' | 'error'): void {
  noticeEl.textContent = text;
  noticeEl.className = `notice visible ${kind}`;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => (noticeEl.className = 'notice'), 5000);
}

function onMessage(m: HandoffHostMessage): void {
  if (m.type === 'notice') {
    notice(m.text, m.kind);
    if (m.kind === 'error') app.querySelectorAll<HTMLButtonElement>('button.fix').forEach((b) => (b.disabled = false));
    busy = false;
    return;
  }
  if (persisted) {
    persisted = { ...persisted, state: m.state };
    client.save(persisted);
  }
  render(m.state);
}

render(persisted?.state);
if (persisted) client.save(persisted);
client.start(hostMessageSchema, onMessage, { type: 'ready' });
