// The Lessons sidebar: a search box, tag chips, related lessons and lesson cards. It only draws what the host
// sends and posts what was clicked; lesson text is always set as text nodes, never parsed as HTML.
import { hostMessageSchema, persistedStateSchema } from '../../src/webviews/lessons/protocol';
import type { LessonsHostMessage, LessonsPersistedState, LessonsViewState, LessonsWebviewMessage } from '../../src/webviews/lessons/protocol';
import { connect } from '../shared/webviewClient';
import { button, h, highlighted, type Child } from './dom';

type Card = LessonsViewState['cards'][number];

const TYPING_DEBOUNCE_MS = 60;
const KIND_LABEL: Record<Card['kind'], string> = { lesson: 'lesson', 'best-practice': 'best practice', 'anti-pattern': 'anti-pattern' };

const client = connect<LessonsWebviewMessage, LessonsPersistedState>('lessons', persistedStateSchema);
const post = client.post;

// The host owns the query (it outlives this page and the window); it answers `ready` with a setQuery. Until
// then the box shows what the host injected, else what this page saved. Scroll and folding are the page's own.
const persisted: LessonsPersistedState = { ...(client.saved ?? { query: '', tags: [], scrollTop: 0, chipsExpanded: false }), ...pick(client.injected) };
let tags = [...persisted.tags];

function pick(s: LessonsPersistedState | undefined): Partial<LessonsPersistedState> {
  return s ? { query: s.query, tags: s.tags } : {};
}
let seq = 0;
let scrollPending = persisted.scrollTop > 0;
let problemsOpen = false;
let chipsExpanded = persisted.chipsExpanded;
let typingTimer: ReturnType<typeof setTimeout> | undefined;

const app = document.getElementById('app')!;
const search = h('input', {
  type: 'search',
  class: 'search',
  placeholder: 'Search lessons (English, русский)',
  'aria-label': 'Search lessons',
  spellcheck: 'false',
}) as HTMLInputElement;
search.value = persisted.query;
const chipsEl = h('div', { class: 'chips', role: 'group', 'aria-label': 'Filter by tag' });
const body = h('div', { class: 'body', 'aria-live': 'polite' });
app.append(h('div', { class: 'top' }, search, chipsEl), body);

function save(): void {
  client.save({ query: search.value, tags, scrollTop: Math.round(window.scrollY), chipsExpanded });
}

function sendQuery(): void {
  clearTimeout(typingTimer);
  save();
  post({ type: 'query', seq: ++seq, query: search.value, tags });
}

search.addEventListener('input', () => {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(sendQuery, TYPING_DEBOUNCE_MS);
});
search.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && search.value) {
    search.value = '';
    sendQuery();
  } else if (e.key === 'ArrowDown') {
    body.querySelector<HTMLElement>('.card')?.focus();
    e.preventDefault();
  }
});

let scrollFrame = 0;
window.addEventListener('scroll', () => {
  cancelAnimationFrame(scrollFrame);
  scrollFrame = requestAnimationFrame(save);
});

function toggleTag(tag: string): void {
  tags = tags.includes(tag) ? tags.filter((t) => t !== tag) : [...tags, tag];
  sendQuery();
}

function card(c: Card): HTMLElement {
  const title = h('h3', { class: 'title' }, ...highlighted(c.title, c.titleHighlights));
  const meta: Child[] = [];
  if (c.source) {
    meta.push(
      h(
        'span',
        { class: 'from' },
        'from ',
        c.sourceLink
          ? button(c.source, () => post({ type: 'openSource', id: c.id }), { class: 'link source', title: `Open the source: ${c.source}` })
          : h('span', { class: 'source' }, c.source),
      ),
    );
  }
  meta.push(h('span', { class: 'file', title: `${c.file}${c.line > 1 ? `:${c.line}` : ''}` }, c.file.slice(c.file.lastIndexOf('/') + 1)));
  const el = h(
    'article',
    { class: `card kind-${c.kind}`, tabindex: '0', 'data-id': c.id, 'aria-label': c.title },
    h('div', { class: 'head' }, h('span', { class: `kind ${c.kind}` }, KIND_LABEL[c.kind]), c.problems > 0 && h('span', { class: 'warn', title: `${c.problems} problem(s) in this file` }, '⚠')),
    title,
    c.snippet && h('p', { class: 'snippet' }, ...highlighted(c.snippet, c.highlights)),
    c.tags.length > 0 &&
      h('div', { class: 'tags' }, ...c.tags.map((t) => button(`#${t}`, () => toggleTag(t), { class: `tag${tags.includes(t) ? ' selected' : ''}`, title: `Filter by ${t}` }))),
    h('div', { class: 'meta' }, ...meta),
    h(
      'div',
      { class: 'actions' },
      button('Open', () => post({ type: 'open', id: c.id }), { class: 'link', title: 'Show the lesson in its file' }),
      button('Edit', () => post({ type: 'edit', id: c.id }), { class: 'link', title: 'Edit the lesson file' }),
      !c.readOnly && button('Delete', () => post({ type: 'delete', id: c.id }), { class: 'link danger', title: 'Delete the lesson file (asks first)' }),
    ),
  );
  title.addEventListener('click', () => post({ type: 'open', id: c.id }));
  el.addEventListener('keydown', (e) => {
    if (e.target !== el) return;
    if (e.key === 'Enter') post({ type: 'open', id: c.id });
    else if (e.key === 'ArrowDown') (el.nextElementSibling as HTMLElement | null)?.focus();
    else if (e.key === 'ArrowUp') ((el.previousElementSibling as HTMLElement | null) ?? search).focus();
    else return;
    e.preventDefault();
  });
  return el;
}

/** Chips shown folded: about two rows in a default-width sidebar. Selected tags always show. */
const FOLDED_CHIPS = 8;
let lastState: LessonsViewState | undefined;

function renderChips(s: LessonsViewState): void {
  const hidden = chipsExpanded ? [] : s.chips.slice(FOLDED_CHIPS).filter((c) => !c.selected);
  const shown = s.chips.filter((c) => !hidden.includes(c));
  const toggle = () => {
    chipsExpanded = !chipsExpanded;
    save();
    if (lastState) renderChips(lastState);
  };
  const parts: Child[] = [
    ...shown.map((c) =>
      button(c.tag, () => toggleTag(c.tag), { class: `chip${c.selected ? ' selected' : ''}`, 'aria-pressed': String(c.selected), title: `${c.count} lesson${c.count === 1 ? '' : 's'} tagged ${c.tag}` }, h('span', { class: 'count' }, String(c.count))),
    ),
    hidden.length > 0 && button(`+${hidden.length} more`, toggle, { class: 'link more', title: 'Show every tag' }),
    chipsExpanded && s.chips.length > FOLDED_CHIPS && button('fewer', toggle, { class: 'link more', title: 'Show the most used tags only' }),
  ];
  chipsEl.replaceChildren(...present(parts));
}

function present(parts: Child[]): (Node | string)[] {
  return parts.filter((p): p is Node | string => p !== undefined && p !== null && p !== false && p !== '');
}

function problems(s: LessonsViewState): Child {
  if (!s.problems.length) return undefined;
  const files = new Set(s.problems.map((p) => p.file)).size;
  const details = h(
    'details',
    { class: 'problems' },
    h('summary', {}, h('span', { class: 'badge warn-badge' }, String(s.problems.length)), ` problem${s.problems.length === 1 ? '' : 's'} in ${files} lesson file${files === 1 ? '' : 's'}`),
    h(
      'ul',
      {},
      ...s.problems.map((p) =>
        h('li', {}, button(`${p.file}:${p.line}`, () => post({ type: 'openProblem', file: p.file, line: p.line }), { class: 'link', title: 'Go to the problem' }), h('span', { class: 'message' }, p.message)),
      ),
    ),
  ) as HTMLDetailsElement;
  details.open = problemsOpen;
  details.addEventListener('toggle', () => (problemsOpen = details.open));
  return details;
}

function section(heading: Child[], cards: Card[], cls = ''): HTMLElement {
  return h('section', { class: `group ${cls}` }, h('h2', {}, ...heading), h('div', { class: 'cards' }, ...byFolder(cards)));
}

/** In a multi-root workspace the host sends each folder's cards together, each naming its folder: head each run. */
function byFolder(cards: Card[]): HTMLElement[] {
  const out: HTMLElement[] = [];
  let last: string | undefined;
  for (const c of cards) {
    if (c.folder !== undefined && c.folder !== last) out.push(h('h3', { class: 'folder', title: `Lessons of the workspace folder ${c.folder}` }, c.folder));
    last = c.folder;
    out.push(card(c));
  }
  return out;
}

function emptyState(s: LessonsViewState): HTMLElement {
  return h(
    'div',
    { class: 'empty' },
    h('h2', {}, 'No lessons yet.'),
    h('p', {}, 'Lessons are short markdown notes your team keeps in ', h('code', {}, `${s.dir || 'docs/lessons'}/`), ' and shares through git: what went wrong, what works, what to avoid.'),
    h('p', {}, 'Add the first one here, or select code in an editor, right-click and choose ', h('strong', {}, 'Capture Lesson from Selection'), '.'),
    button('New Lesson', () => post({ type: 'newLesson' }), { class: 'primary' }),
  );
}

function noMatches(s: LessonsViewState): HTMLElement {
  const what = s.query.trim() ? `match “${s.query.trim()}”` : 'match the filter';
  return h(
    'div',
    { class: 'empty no-matches' },
    h('p', {}, `No lessons ${what}${s.tags.length ? ` with ${s.tags.map((t) => `#${t}`).join(' ')}` : ''}.`),
    h(
      'div',
      { class: 'row' },
      s.tags.length > 0 && button('Clear tags', () => ((tags = []), sendQuery()), { class: 'secondary' }),
      s.query.trim() && button('Clear search', () => ((search.value = ''), sendQuery()), { class: 'secondary' }),
      button('New Lesson', () => post({ type: 'newLesson' }), { class: 'secondary' }),
    ),
  );
}

function render(s: LessonsViewState): void {
  lastState = s;
  tags = [...s.tags];
  renderChips(s);
  app.setAttribute('aria-busy', String(s.mode === 'loading'));
  const parts: Child[] = [problems(s), s.note && h('p', { class: 'note' }, s.note)];
  switch (s.mode) {
    case 'loading':
      parts.push(h('p', { class: 'muted' }, 'Loading lessons…'));
      break;
    case 'no-folder':
      parts.push(h('div', { class: 'empty' }, h('p', {}, 'Open a folder: lessons are markdown files kept in the workspace (docs/lessons/).')));
      break;
    case 'empty':
      parts.push(emptyState(s));
      break;
    case 'no-matches':
      parts.push(noMatches(s));
      break;
    case 'results':
      parts.push(section([`${s.cards.length} match${s.cards.length === 1 ? '' : 'es'}`], s.cards, 'results'));
      break;
    case 'list': {
      const related = s.related
        ? section(['Related to ', h('span', { class: 'file-name', title: s.related.file }, s.related.file.slice(s.related.file.lastIndexOf('/') + 1))], s.related.cards, 'related')
        : undefined;
      const shown = s.matched > s.cards.length ? ` · showing ${s.cards.length}, search for the rest` : '';
      const all = section([`${s.matched} lesson${s.matched === 1 ? '' : 's'}${s.tags.length ? ` tagged ${s.tags.map((t) => `#${t}`).join(' ')}` : ''}${shown}`], s.cards, 'all');
      // A tag filter is what the user just asked for: its results come first, not below "Related to" out of view.
      parts.push(...(s.tags.length ? [all, related] : [related, all]));
      break;
    }
  }
  body.replaceChildren(...present(parts));
  if (scrollPending && s.mode !== 'loading') {
    scrollPending = false;
    window.scrollTo(0, persisted.scrollTop);
  }
}

function onMessage(m: LessonsHostMessage): void {
  switch (m.type) {
    case 'state':
      // An answer to an older keystroke would undo what was typed since.
      if (m.seq === seq) render(m.state);
      return;
    case 'setQuery':
      search.value = m.query;
      if (m.tags) tags = [...m.tags];
      sendQuery();
      if (m.focus) search.focus();
      return;
    case 'focusSearch':
      search.focus();
      search.select();
      return;
  }
}

client.start(hostMessageSchema, onMessage, { type: 'ready' });
