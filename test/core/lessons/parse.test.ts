import assert from 'node:assert/strict';
import { serializeLesson, readLessonFrontMatter } from '../../../src/core/lessons/frontMatter';
import { slugify } from '../../../src/core/lessons/lesson';
import { isLessonsLearnedFile, parseLessonFile, parseLessonsLearnedFile } from '../../../src/core/lessons/parse';
import { fixtureFs } from './fixture';

const DIR = '/ws/docs/lessons';

describe('lessons: parsing a lesson file', () => {
  it('reads every front matter field and the body', async () => {
    const fs = fixtureFs();
    const path = `${DIR}/2024-03-02-memory-leak-from-event-listeners.md`;
    const l = parseLessonFile(path, await fs.readText(path));
    assert.equal(l.id, '2024-03-02-memory-leak-from-event-listeners');
    assert.equal(l.title, 'Memory leak from event listeners');
    assert.deepEqual(l.tags, ['memory', 'node', 'events']);
    assert.equal(l.kind, 'anti-pattern');
    assert.equal(l.created, '2024-03-02');
    assert.equal(l.source, 'session:2024-03-02T10:15:00Z');
    assert.deepEqual(l.globs, ['src/**/*.ts']);
    assert.match(l.body, /^Every `emitter\.on\(\)`/);
    assert.deepEqual(l.problems, []);
    assert.equal(l.readOnly, false);
  });

  it('keeps a lesson with broken YAML: a problem at the YAML line, title from what could be read', async () => {
    const fs = fixtureFs();
    const path = `${DIR}/broken-front-matter.md`;
    const l = parseLessonFile(path, await fs.readText(path));
    assert.equal(l.id, 'broken-front-matter');
    assert.equal(l.problems.length, 1);
    assert.equal(l.problems[0].file, path);
    assert.ok(l.problems[0].line >= 3 && l.problems[0].line <= 5, `line ${l.problems[0].line}`);
    assert.match(l.problems[0].message, /^front matter: not valid YAML: a \[list\] or \{map\} is never closed/);
    assert.doesNotMatch(l.problems[0].message, /at line \d+/);
    assert.match(l.body, /retry with backoff/);
  });

  it('falls back to the first heading, then the file name, when no usable title is there', () => {
    const unparsable = parseLessonFile(`${DIR}/x.md`, '---\n: : :\n  - [\n---\n\n# Heading title\n\nbody');
    assert.equal(unparsable.title, 'Heading title');
    assert.ok(unparsable.problems.length >= 1);
    const bare = parseLessonFile(`${DIR}/2024-06-01-prefer-small-commits.md`, 'Just text, no heading.');
    assert.equal(bare.title, 'Prefer small commits');
    assert.equal(bare.id, '2024-06-01-prefer-small-commits');
    assert.deepEqual(bare.problems, []);
  });

  it('reports each invalid field on its own line and keeps the valid ones', async () => {
    const fs = fixtureFs();
    const path = `${DIR}/bad-fields.md`;
    const l = parseLessonFile(path, await fs.readText(path));
    assert.equal(l.title, 'Pin tool versions');
    assert.equal(l.kind, 'lesson');
    assert.deepEqual(l.tags, []);
    assert.equal(l.created, undefined);
    assert.deepEqual(
      l.problems.map((p) => [p.line, p.message.split(' ')[0]]),
      [
        [3, 'kind'],
        [4, 'tags'],
        [5, 'created'],
      ],
    );
  });

  it('reports an unclosed front matter and keeps the text as body', () => {
    const l = parseLessonFile(`${DIR}/open.md`, '---\ntitle: Never closed\n\nSome body');
    assert.deepEqual(l.problems.map((p) => p.line), [1]);
    assert.match(l.problems[0].message, /never closed/);
    assert.match(l.body, /Some body/);
  });

  it('accepts CRLF, a BOM, comma-separated tags and numeric ids; keeps unknown keys', () => {
    const l = parseLessonFile(`${DIR}/x.md`, '\uFEFF---\r\nid: 42\r\ntitle: T\r\ntags: "#Docker, CI ,ci"\r\nowner: team-a\r\n---\r\nBody\r\n');
    assert.equal(l.id, '42');
    assert.deepEqual(l.tags, ['docker', 'ci']);
    assert.deepEqual(l.extra, { owner: 'team-a' });
    assert.equal(l.body, 'Body');
    assert.deepEqual(l.problems, []);
  });

  it('rejects duplicate keys and ids with spaces', () => {
    const l = parseLessonFile(`${DIR}/x.md`, '---\ntitle: A\ntitle: B\nid: has space\n---\n');
    assert.ok(l.problems.some((p) => p.line === 3 && /"title" is given more than once/.test(p.message)), JSON.stringify(l.problems));
    assert.ok(l.problems.some((p) => p.line === 4 && /^id /.test(p.message)));
    assert.equal(l.id, 'x');
  });
});

describe('lessons: a lessons_learned file holds many lessons', () => {
  it('recognises the file names', () => {
    assert.ok(isLessonsLearnedFile('/ws/lessons_learned.md'));
    assert.ok(isLessonsLearnedFile('/ws/docs/LESSONS-LEARNED-2024.md'));
    assert.ok(!isLessonsLearnedFile('/ws/docs/lessons.md'));
    assert.ok(!isLessonsLearnedFile('/ws/docs/lessons_learned.txt'));
  });

  it('makes one read-only lesson per ## section, outside code fences, with unique ids', async () => {
    const fs = fixtureFs();
    const path = '/ws/docs/lessons_learned.md';
    const lessons = parseLessonsLearnedFile(path, await fs.readText(path));
    assert.deepEqual(
      lessons.map((l) => [l.id, l.title, l.line]),
      [
        ['lessons-learned--2024-01-05-keep-the-router-pure', 'Keep the router pure', 5],
        ['lessons-learned--escalate-on-empty-answers', 'Escalate on empty answers', 13],
        ['lessons-learned--escalate-on-empty-answers-2', 'Escalate on empty answers', 21],
      ],
    );
    const [first, second] = lessons;
    assert.equal(first.created, '2024-01-05');
    assert.deepEqual(first.tags, ['router', 'architecture']);
    assert.equal(first.kind, 'best-practice');
    assert.match(first.body, /^The routing decision/);
    assert.match(second.body, /inside a code fence/);
    assert.ok(lessons.every((l) => l.readOnly && l.path === path));
  });

  it('keeps ids unique when a heading slug collides with a numbered duplicate; skips own front matter', () => {
    const text = '---\ntags: [x]\n---\n## A\n\n## A\n\n## A 2\n';
    const lessons = parseLessonsLearnedFile('/ws/lessons_learned.md', text);
    assert.deepEqual(lessons.map((l) => [l.id, l.line]), [
      ['lessons-learned--a', 4],
      ['lessons-learned--a-2', 6],
      ['lessons-learned--a-2-2', 8],
    ]);
    assert.deepEqual(parseLessonsLearnedFile('/ws/lessons_learned.md', '---\n## Open front matter\n').map((l) => l.line), [2]);
  });

  it('reports an unknown Kind: line at its line', () => {
    const [l] = parseLessonsLearnedFile('/ws/lessons_learned.md', '## A\nKind: folklore\n\nText');
    assert.deepEqual(l.problems.map((p) => p.line), [2]);
    assert.equal(l.kind, 'lesson');
  });
});

describe('lessons: writing front matter', () => {
  it('serialises deterministically and reads back the same fields', () => {
    const text = serializeLesson({
      id: '2024-05-01-a',
      title: 'Quote: "this" & that',
      kind: 'best-practice',
      tags: ['a', 'b c'],
      created: '2024-05-01',
      source: 'handoff:docs/handoff.md',
      rule: 'no-any',
      globs: ['**/*.ts'],
      extra: { zeta: 1, alpha: ['x'] },
      body: 'Body line\r\n\r\nSecond',
    });
    assert.equal(
      text,
      '---\nid: 2024-05-01-a\ntitle: \'Quote: "this" & that\'\nkind: best-practice\ntags: [a, b c]\ncreated: 2024-05-01\n' +
        'source: handoff:docs/handoff.md\nrule: no-any\nglobs: ["**/*.ts"]\nalpha:\n  - x\nzeta: 1\n---\n\nBody line\n\nSecond\n',
    );
    const back = readLessonFrontMatter(text);
    assert.deepEqual(back.problems, []);
    assert.deepEqual(back.fields, {
      id: '2024-05-01-a',
      title: 'Quote: "this" & that',
      kind: 'best-practice',
      tags: ['a', 'b c'],
      created: '2024-05-01',
      source: 'handoff:docs/handoff.md',
      rule: 'no-any',
      globs: ['**/*.ts'],
      extra: { alpha: ['x'], zeta: 1 },
    });
  });

  it('slugs titles in both scripts into ASCII file names', () => {
    assert.equal(slugify('Утечки памяти в обработчиках'), 'utechki-pamyati-v-obrabotchikah');
    assert.equal(slugify('  Don’t use `any`!  '), 'don-t-use-any');
    assert.equal(slugify('!!!'), 'lesson');
    assert.ok(slugify('x'.repeat(200)).length <= 60);
  });
});
