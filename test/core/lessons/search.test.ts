import assert from 'node:assert/strict';
import type { Lesson } from '../../../src/core/lessons/lesson';
import { parseLessonFile } from '../../../src/core/lessons/parse';
import { LessonIndex } from '../../../src/core/lessons/searchIndex';
import { makeSnippet } from '../../../src/core/lessons/snippet';
import { LessonStore } from '../../../src/core/lessons/store';
import { normalizeTerm, plainText, tokenize } from '../../../src/core/lessons/text';
import { FIXTURE_ROOT, fixtureFs } from './fixture';

async function fixtureStore(): Promise<LessonStore> {
  const store = new LessonStore({ fs: fixtureFs(), root: FIXTURE_ROOT });
  await store.load();
  return store;
}

const ids = (hits: { id: string }[]) => hits.map((h) => h.id);

function lesson(id: string, title: string, body: string, tags: string[] = []): Lesson {
  return { ...parseLessonFile(`/ws/docs/lessons/${id}.md`, body), id, title, tags };
}

describe('lessons: text analysis', () => {
  it('splits on everything but Unicode letters and digits', () => {
    assert.deepEqual(tokenize('snake_case best-practice file.ts, Привет—мир 42'), ['snake', 'case', 'best', 'practice', 'file', 'ts', 'Привет', 'мир', '42']);
  });

  it('brings English and Russian inflections to one term, drops stop words', () => {
    const same = (words: string[]) => assert.equal(new Set(words.map(normalizeTerm)).size, 1, words.join(' '));
    same(['leak', 'leaks', 'leaking', 'leaked', 'Leak']);
    same(['cache', 'caches', 'caching']);
    same(['memory', 'memories']);
    same(['утечка', 'утечки', 'утечку', 'утечкой', 'Утечка']);
    same(['память', 'памяти', 'памятью']);
    same(['решение', 'решения', 'решений']);
    assert.equal(normalizeTerm('ёлка'), normalizeTerm('елка'));
    assert.equal(normalizeTerm('the'), null);
    assert.equal(normalizeTerm('и'), null);
    // Not over-stemmed: a noun ending like a verb stays whole.
    assert.equal(normalizeTerm('формат'), 'формат');
    assert.equal(normalizeTerm('string'), 'string');
  });

  it('strips markdown markup for snippets but keeps the words', () => {
    assert.equal(plainText('# Title\n\n- use **bold** and `code`\n\n[link text](http://x.invalid/y)\n```ts\nconst a = 1;\n```'), 'Title use bold and code link text const a = 1;');
  });
});

describe('lessons: snippets', () => {
  const long = `${'filler words here and there '.repeat(12)}the memory leak appeared when listeners piled up ${'more filler text follows '.repeat(12)}`;

  it('cuts ~160 characters around the match with ranges pointing at the matched words', () => {
    const s = makeSnippet(long, new Set([normalizeTerm('memory')!, normalizeTerm('leak')!]));
    assert.ok(s.text.length <= 162, `${s.text.length}`);
    assert.ok(s.text.startsWith('…') && s.text.endsWith('…'));
    assert.deepEqual(s.ranges.map(([a, b]) => s.text.slice(a, b)), ['memory', 'leak']);
  });

  it('prefers the window with the most distinct terms', () => {
    const text = `leak ${'x '.repeat(120)}memory and leak together ${'y '.repeat(120)}leak`;
    const s = makeSnippet(text, new Set([normalizeTerm('memory')!, normalizeTerm('leak')!]));
    assert.deepEqual(s.ranges.map(([a, b]) => s.text.slice(a, b)), ['memory', 'leak']);
  });

  it('returns short text whole and the start of long text without matches', () => {
    assert.deepEqual(makeSnippet('short text', new Set(['text'])), { text: 'short text', ranges: [[6, 10]] });
    const s = makeSnippet(long, new Set(['absent']));
    assert.ok(s.text.startsWith('filler') && s.text.endsWith('…'));
    assert.deepEqual(s.ranges, []);
  });
});

describe('lessons: search', () => {
  it('ranks a title match over a tag match over a body mention', async () => {
    const store = await fixtureStore();
    assert.deepEqual(ids(store.searchText('memory leak')), [
      '2024-03-02-memory-leak-from-event-listeners',
      '2024-02-11-take-heap-snapshots-before-guessing',
      '2024-01-20-cache-invalidation-needs-an-owner',
    ]);
  });

  it('finds the Russian lesson for a Russian query in another grammatical case', async () => {
    const store = await fixtureStore();
    const hits = store.searchText('утечка памяти');
    assert.deepEqual(ids(hits), ['2024-04-05-utechki-pamyati-v-obrabotchikah']);
    const [hit] = hits;
    assert.deepEqual(hit.titleHighlights.map(([a, b]) => hit.title.slice(a, b)), ['Утечки', 'памяти']);
    assert.deepEqual(hit.highlights.map(([a, b]) => hit.snippet.slice(a, b)), ['памяти']);
  });

  it('matches the word being typed as a prefix', async () => {
    const store = await fixtureStore();
    assert.equal(ids(store.searchText('memo'))[0], '2024-03-02-memory-leak-from-event-listeners');
    assert.deepEqual(ids(store.searchText('кэшир')), ['2024-04-09-keshirovanie-otvetov-ollama']);
    // Only the last word is a prefix: a finished word matches itself, not longer words.
    assert.deepEqual(ids(store.searchText('snap ollama')), ['2024-04-09-keshirovanie-otvetov-ollama']);
  });

  it('tolerates a typo', async () => {
    const store = await fixtureStore();
    assert.equal(ids(store.searchText('memmory leek'))[0], '2024-03-02-memory-leak-from-event-listeners');
    assert.deepEqual(ids(store.searchText('snapshtos')), ['2024-02-11-take-heap-snapshots-before-guessing']);
  });

  it('filters by tags and kind, and returns nothing for empty or stop-word queries', async () => {
    const store = await fixtureStore();
    assert.deepEqual(ids(store.searchText('memory', { tags: ['Profiling'] })), ['2024-02-11-take-heap-snapshots-before-guessing']);
    assert.deepEqual(ids(store.searchText('memory', { kind: 'anti-pattern' })), ['2024-03-02-memory-leak-from-event-listeners']);
    assert.deepEqual(store.searchText('memory', { tags: ['memory', 'node'], limit: 5 }).length, 1);
    assert.deepEqual(store.searchText('   '), []);
    assert.deepEqual(store.searchText('the and of'), []);
  });

  it('returns the JSON-ready hit shape with a snippet around the match', async () => {
    const store = await fixtureStore();
    const [hit] = store.searchText('backoff');
    assert.equal(hit.id, 'broken-front-matter');
    assert.equal(hit.path, `${FIXTURE_ROOT}/docs/lessons/broken-front-matter.md`);
    assert.ok(hit.score > 0);
    assert.deepEqual(hit.highlights.map(([a, b]) => hit.snippet.slice(a, b)), ['backoff']);
    assert.deepEqual(hit.tags, ['docker', 'compose']);
  });

  it('respects the limit', async () => {
    const store = await fixtureStore();
    assert.equal(store.searchText('memory', { limit: 2 }).length, 2);
  });
});

describe('lessons: incremental index updates', () => {
  it('adds, replaces and removes one lesson without a rebuild', () => {
    const index = new LessonIndex();
    index.reset([lesson('a', 'Alpha notes', 'nothing special'), lesson('b', 'Beta notes', 'more text')]);
    assert.deepEqual(ids(index.search('gamma')), []);

    index.set(lesson('c', 'Gamma rays', 'about gamma'));
    assert.deepEqual(ids(index.search('gamma')), ['c']);

    index.set(lesson('a', 'Alpha notes', 'now mentions gamma too'));
    assert.deepEqual(ids(index.search('gamma')), ['c', 'a']);
    assert.deepEqual(ids(index.search('special')), [], 'the replaced text is gone');

    assert.equal(index.delete('c'), true);
    assert.equal(index.delete('c'), false);
    assert.deepEqual(ids(index.search('gamma')), ['a']);
    index.set(lesson('c', 'Gamma again', 'back'));
    assert.deepEqual(ids(index.search('gamma')), ['c', 'a']);
    assert.equal(index.size, 3);
  });

  it('refuses duplicate ids in a bulk load', () => {
    assert.throws(() => new LessonIndex().reset([lesson('a', 'A', ''), lesson('a', 'B', '')]), /duplicate/);
  });
});
