import assert from 'node:assert/strict';
import { LessonStore } from '../../../src/core/lessons/store';
import { buildLessonsView, lessonCard, parseSourceLink, relatedTo } from '../../../src/core/lessons/viewModel';
import { viewModelSchema } from '../../../src/webviews/lessons/protocol';
import { MemoryFileSystem } from '../../support/memoryFileSystem';
import { FIXTURE_ROOT, fixtureFs } from './fixture';

async function open(fs = fixtureFs()): Promise<LessonStore> {
  const store = new LessonStore({ fs, root: FIXTURE_ROOT });
  await store.load();
  return store;
}

describe('lessons: sidebar view model', () => {
  it('lists every lesson without a query, newest first, with workspace-relative files and plain snippets', async () => {
    const store = await open();
    const view = buildLessonsView(store, { query: '', tags: [] });
    assert.equal(view.mode, 'list');
    assert.equal(view.total, 12);
    assert.equal(view.matched, 12);
    assert.equal(view.cards[0].id, '2024-05-01-any-silences-the-compiler');
    assert.equal(view.cards[0].file, 'docs/lessons/2024-05-01-any-silences-the-compiler.md');
    assert.equal(view.cards[0].snippet, 'any turns off checking for everything it touches. Use unknown and narrow it with a zod schema.');
    assert.deepEqual(view.cards[0].highlights, []);
    assert.equal(view.dir, 'docs/lessons');
  });

  it('ranks a query and carries highlight ranges that cover the matched words', async () => {
    const store = await open();
    const view = buildLessonsView(store, { query: 'memory leak', tags: [] });
    assert.equal(view.mode, 'results');
    assert.equal(view.cards[0].title, 'Memory leak from event listeners');
    const [s, e] = view.cards[0].titleHighlights[0];
    assert.equal(view.cards[0].title.slice(s, e), 'Memory');
    for (const [a, b] of view.cards[0].highlights) assert.match(view.cards[0].snippet.slice(a, b), /^(memory|leak)/i);
  });

  it('finds Russian lessons by an inflected Russian query', async () => {
    const store = await open();
    const view = buildLessonsView(store, { query: 'утечка памяти', tags: [] });
    assert.equal(view.cards[0].id, '2024-04-05-utechki-pamyati-v-obrabotchikah');
    const [s, e] = view.cards[0].titleHighlights[0];
    assert.equal(view.cards[0].title.slice(s, e), 'Утечки');
  });

  it('says no-matches for a query nothing matches and for a tag filter with no lesson left', async () => {
    const store = await open();
    assert.equal(buildLessonsView(store, { query: 'qwzx', tags: [] }).mode, 'no-matches');
    const filtered = buildLessonsView(store, { query: 'memory', tags: ['typescript'] });
    assert.equal(filtered.mode, 'no-matches');
    assert.deepEqual(filtered.tags, ['typescript']);
  });

  it('filters by selected tags, marks the chips and drops tags no lesson carries any more', async () => {
    const store = await open();
    const view = buildLessonsView(store, { query: '', tags: ['MEMORY', 'gone'] });
    assert.deepEqual(view.tags, ['memory']);
    assert.deepEqual(view.cards.map((c) => c.id).sort(), ['2024-02-11-take-heap-snapshots-before-guessing', '2024-03-02-memory-leak-from-event-listeners']);
    assert.equal(view.chips.find((c) => c.tag === 'memory')?.selected, true);
    assert.equal(view.chips.find((c) => c.tag === 'memory')?.count, 2);
    assert.ok(view.chips.filter((c) => c.selected).length === 1);
  });

  it('keeps a selected tag among the chips even past the chip limit', async () => {
    const store = await open();
    const last = store.tags().at(-1)!.tag;
    const view = buildLessonsView(store, { query: '', tags: [last], chipLimit: 2 });
    assert.equal(view.chips.length, 3);
    assert.equal(view.chips[2].tag, last);
  });

  it('shows related lessons for the active file only without a query', async () => {
    const store = await open();
    const view = buildLessonsView(store, { query: '', tags: [], activeFile: 'src/panel/view.ts' });
    assert.equal(view.related?.file, 'src/panel/view.ts');
    assert.ok(view.related!.cards.some((c) => c.id === '2024-03-02-memory-leak-from-event-listeners'));
    assert.equal(buildLessonsView(store, { query: 'memory', tags: [], activeFile: 'src/panel/view.ts' }).related, undefined);
    assert.equal(buildLessonsView(store, { query: '', tags: [], activeFile: 'README' }).related, undefined);
  });

  it('does not count a lesson file as related to itself', async () => {
    const store = await open();
    const own = 'docs/lessons/2024-03-02-memory-leak-from-event-listeners.md';
    // Its own file name says "memory", one of its tags: the core alone would list it.
    assert.ok(store.relatedLessons(own).some((l) => l.id === '2024-03-02-memory-leak-from-event-listeners'));
    const others = relatedTo(store, own);
    assert.ok(others.length > 0);
    assert.ok(!others.some((l) => l.path.endsWith(own)));
    assert.ok(!buildLessonsView(store, { query: '', tags: [], activeFile: own }).related?.cards.some((c) => c.file === own));
  });

  it('reports malformed files as workspace-relative problem rows and counts them on the card', async () => {
    const store = await open();
    const view = buildLessonsView(store, { query: '', tags: [] });
    assert.ok(view.problems.length >= 2);
    assert.ok(view.problems.every((p) => p.file.startsWith('docs/') && p.line >= 1));
    const broken = view.cards.find((c) => c.file === 'docs/lessons/broken-front-matter.md');
    assert.ok(broken && broken.problems > 0);
  });

  it('has an empty mode for a workspace without lessons and cuts long lists', async () => {
    const empty = await open(new MemoryFileSystem());
    const view = buildLessonsView(empty, { query: 'anything', tags: [] });
    assert.equal(view.mode, 'empty');
    assert.equal(view.total, 0);
    const store = await open();
    const cut = buildLessonsView(store, { query: '', tags: [], listLimit: 3 });
    assert.equal(cut.cards.length, 3);
    assert.equal(cut.matched, 12);
  });

  it('uses given hits (a re-ranked search) instead of searching again, and passes the note through', async () => {
    const store = await open();
    const hits = store.searchText('memory', {}).reverse();
    const view = buildLessonsView(store, { query: 'memory', tags: [], hits, note: 'not re-ranked: Ollama not running' });
    assert.deepEqual(view.cards.map((c) => c.id), hits.map((h) => h.id));
    assert.equal(view.note, 'not re-ranked: Ollama not running');
  });

  it('produces models the webview protocol accepts, in every mode', async () => {
    const store = await open();
    for (const input of [{ query: '', tags: [], activeFile: 'src/panel/view.ts' }, { query: 'память', tags: [] }, { query: 'qwzx', tags: ['memory'] }]) {
      const r = viewModelSchema.safeParse(buildLessonsView(store, input));
      assert.ok(r.success, JSON.stringify(!r.success && r.error.issues[0]));
    }
    assert.ok(viewModelSchema.safeParse(buildLessonsView(await open(new MemoryFileSystem()), { query: '', tags: [] })).success);
  });

  it('marks openable sources on cards', async () => {
    const store = await open();
    const lesson = { ...store.list()[0], source: 'src/billing.ts:4' };
    assert.equal(lessonCard(store.root, lesson).sourceLink, 'file');
    assert.equal(lessonCard(store.root, { ...lesson, source: 'session:2024-03-02T10:15:00Z' }).sourceLink, undefined);
  });
});

describe('lessons: source links', () => {
  it('reads file paths with lines, fragments and ranges', () => {
    assert.deepEqual(parseSourceLink('src/billing.ts:12'), { kind: 'file', path: 'src/billing.ts', line: 12 });
    assert.deepEqual(parseSourceLink('billing.ts:3-9'), { kind: 'file', path: 'billing.ts', line: 3 });
    assert.deepEqual(parseSourceLink('src/a.ts#L7'), { kind: 'file', path: 'src/a.ts', line: 7 });
    assert.deepEqual(parseSourceLink('.llmgenie/sessions/x.jsonl#e12'), { kind: 'file', path: '.llmgenie/sessions/x.jsonl' });
    assert.deepEqual(parseSourceLink(' docs/handoff/a/HANDOFF.md '), { kind: 'file', path: 'docs/handoff/a/HANDOFF.md' });
  });

  it('reads http(s) URLs and leaves ids, prose, other schemes and parent paths as text', () => {
    assert.deepEqual(parseSourceLink('https://example.com/pr/12'), { kind: 'url', url: 'https://example.com/pr/12' });
    for (const s of ['session-20241120', 'session:2024-03-02T10:15:00Z', 'review of PR 12', 'ftp://x/y.ts', 'file:///etc/passwd', '../secrets.txt', 'a/../../b.ts', '', undefined]) {
      assert.equal(parseSourceLink(s), undefined, String(s));
    }
  });
});
