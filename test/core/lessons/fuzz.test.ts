import assert from 'node:assert/strict';
import fc from 'fast-check';
import { serializeLesson } from '../../../src/core/lessons/frontMatter';
import { LESSON_KINDS, type Lesson } from '../../../src/core/lessons/lesson';
import { parseLessonFile, parseLessonsLearnedFile } from '../../../src/core/lessons/parse';
import { LessonIndex } from '../../../src/core/lessons/searchIndex';

const PATH = '/ws/docs/lessons/fuzz.md';

function assertWellFormed(l: Lesson, text: string): void {
  assert.ok(l.id.length > 0, 'id');
  assert.ok(l.title.length > 0, 'title');
  assert.ok((LESSON_KINDS as readonly string[]).includes(l.kind), l.kind);
  for (const t of l.tags) assert.ok(t.length > 0 && t === t.toLowerCase() && t === t.trim(), JSON.stringify(t));
  const lines = text.split(/\r?\n/).length;
  for (const p of l.problems) {
    assert.equal(p.file, PATH);
    assert.ok(Number.isInteger(p.line) && p.line >= 1 && p.line <= lines + 1, `line ${p.line} of ${lines}`);
    assert.ok(p.message.length > 0 && !p.message.includes('\n'));
  }
}

/** Front-matter-shaped text: known and unknown keys with values that break YAML in all the usual ways. */
const yamlish = fc
  .array(
    fc.tuple(
      fc.constantFrom('id', 'title', 'tags', 'kind', 'created', 'source', 'rule', 'globs', 'other', '', ' title', '- tags'),
      fc.oneof(
        fc.string({ unit: 'grapheme' }),
        fc.constantFrom('[a, b', '{x: 1', '**/*.ts', '*alias', '&anchor x', '"unclosed', "'", '|', '>', '- a\n- b', '2024-01-01', 'best-practice', ': :', '\t'),
      ),
    ),
    { maxLength: 8 },
  )
  .chain((pairs) =>
    fc.tuple(fc.constant(pairs.map(([k, v]) => `${k}: ${v}`).join('\n')), fc.constantFrom('---', '...', '', '--- '), fc.string({ unit: 'grapheme' })),
  )
  .map(([yaml, close, body]) => `---\n${yaml}\n${close}\n${body}`);

describe('lessons: parser fuzz', () => {
  it('never throws on arbitrary text and always yields a listable lesson', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => assertWellFormed(parseLessonFile(PATH, text), text)),
      { numRuns: 500 },
    );
  });

  it('never throws on broken front matter', () => {
    fc.assert(fc.property(yamlish, (text) => assertWellFormed(parseLessonFile(PATH, text), text)), { numRuns: 1000 });
  });

  it('reads back exactly what it writes', () => {
    const word = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((s) => s.trim() === s && s.length > 0);
    const lesson = fc.record({
      id: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,30}$/),
      title: word,
      kind: fc.constantFrom(...LESSON_KINDS),
      tags: fc.uniqueArray(fc.stringMatching(/^[a-zа-я0-9][a-zа-я0-9 -]{0,10}[a-zа-я0-9]$/), { maxLength: 4 }),
      created: fc.option(fc.constantFrom('2024-01-01', '2025-12-31T10:00:00Z'), { nil: undefined }),
      source: fc.option(word, { nil: undefined }),
      rule: fc.option(word, { nil: undefined }),
      globs: fc.array(fc.constantFrom('**/*.ts', 'src/*', '*.md', '{a,b}/**'), { maxLength: 3 }),
      body: fc.string({ unit: 'grapheme' }),
    });
    fc.assert(
      fc.property(lesson, (l) => {
        const back = parseLessonFile(PATH, serializeLesson({ ...l, extra: {} }));
        assert.deepEqual(back.problems, []);
        assert.deepEqual(
          { id: back.id, title: back.title, kind: back.kind, tags: back.tags, created: back.created, source: back.source, rule: back.rule, globs: back.globs, body: back.body },
          { ...l, body: l.body.replace(/\r\n/g, '\n').trim() },
        );
      }),
      { numRuns: 500 },
    );
  });

  it('splits any text into lessons_learned sections without throwing, with unique ids', () => {
    const md = fc
      .array(fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom('## ', '## Same', '# Top', '```', 'Tags: a, b', 'Kind: x', '---')), { maxLength: 30 })
      .map((lines) => lines.join('\n'));
    fc.assert(
      fc.property(md, (text) => {
        const lessons = parseLessonsLearnedFile('/ws/lessons_learned.md', text);
        assert.equal(new Set(lessons.map((l) => l.id)).size, lessons.length);
        for (const l of lessons) assert.ok(l.title.length > 0 && l.line >= 1);
      }),
      { numRuns: 500 },
    );
  });

  it('answers any query without throwing, with highlight ranges inside the snippet', () => {
    const index = new LessonIndex();
    index.reset(
      ['Memory leak in listeners', 'Утечки памяти', 'Cache invalidation', '日本語のレッスン'].map((title, i) => ({
        ...parseLessonFile(`/ws/docs/lessons/l${i}.md`, `${title}\n\n${title} body text ${'word '.repeat(i * 20)}`),
        id: `l${i}`,
        title,
      })),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (q) => {
        for (const h of index.search(q)) {
          for (const [a, b] of h.highlights) assert.ok(a >= 0 && a < b && b <= h.snippet.length);
          for (const [a, b] of h.titleHighlights) assert.ok(a >= 0 && a < b && b <= h.title.length);
        }
      }),
      { numRuns: 500 },
    );
  });
});
