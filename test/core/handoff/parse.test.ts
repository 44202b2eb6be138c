import assert from 'node:assert/strict';
import { HandoffReadError } from '../../../src/core/handoff/errors';
import { matchHeading } from '../../../src/core/handoff/headings';
import { parseHandoff, sectionOf } from '../../../src/core/handoff/parse';
import { buildPackage, lineOf, PARTS } from './packages';

function expectReadError(text: string, code: HandoffReadError['code']): HandoffReadError {
  try {
    parseHandoff(text);
  } catch (e) {
    assert.ok(e instanceof HandoffReadError, `expected HandoffReadError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.ok(!e.message.includes('\n'), 'message is one line');
    return e;
  }
  assert.fail(`expected ${code}`);
}

describe('handoff headings', () => {
  const cases: Array<[string, string]> = [
    ['Startup prompt', 'prompt'],
    ['STARTUP PROMPT', 'prompt'],
    ['Стартовый промпт', 'prompt'],
    ['Промпт', 'prompt'],
    ['Files', 'files'],
    ['1. Files (touched this week)', 'files'],
    ['Key files', 'files'],
    ['Файлы', 'files'],
    ['Ключевые файлы', 'files'],
    ['Technical context', 'context'],
    ['Технический контекст', 'context'],
    ['Техническая информация', 'context'],
    ['Lessons learned', 'lessons'],
    ['Lessons', 'lessons'],
    ['Уроки', 'lessons'],
    ['Извлечённые уроки', 'lessons'],
    ['Извлеченные уроки', 'lessons'],
    ['Scope', 'scope'],
    ['Границы', 'scope'],
    ['Объём работ', 'scope'],
    ['Объем работ', 'scope'],
    ['Control questions', 'questions'],
    ['**Контрольные вопросы**:', 'questions'],
    ['Контрольные вопросы для нового исполнителя', 'questions'],
    ['Decisions', 'decisions'],
    ['Решения', 'decisions'],
    ['Принятые решения', 'decisions'],
    ['Open questions', 'openQuestions'],
    ['Открытые вопросы', 'openQuestions'],
  ];
  for (const [heading, kind] of cases) {
    it(`"${heading}" → ${kind}`, () => assert.equal(matchHeading(heading), kind));
  }
  it('leaves unrelated headings unmatched', () => {
    for (const h of ['Appendix', 'Приложение', '', '###', 'Filesystem notes']) assert.equal(matchHeading(h), undefined, h);
  });
});

describe('parseHandoff', () => {
  it('reads front matter with key lines, tolerating odd value types and unknown keys', () => {
    const doc = parseHandoff('---\ntitle: T\nfrom: 42\ntags: [a, b]\nto: [x]\ncreated: 2025-03-14\n---\n## Files\n');
    assert.deepEqual(doc.meta, { title: 'T', from: '42', created: '2025-03-14' });
    assert.deepEqual(doc.frontMatter?.lines, { title: 2, from: 3, to: 5, created: 6 });
    assert.equal(doc.frontMatter?.endLine, 7);
  });

  it('keeps the line numbers of sections, files and questions', () => {
    const text = buildPackage(PARTS);
    const doc = parseHandoff(text);
    assert.equal(sectionOf(doc, 'files')?.line, lineOf(text, '## Files'));
    assert.equal(doc.files[2].line, lineOf(text, 'config/app.yaml'));
    assert.equal(doc.questions[1].line, lineOf(text, '2. What must stay compatible?'));
    assert.equal(doc.prompt?.line, lineOf(text, '## Startup prompt'));
    assert.equal(doc.language, 'en');
    assert.equal(parseHandoff(buildPackage(PARTS, 'ru')).language, 'ru');
  });

  it('handles CRLF and a BOM without shifting lines', () => {
    const text = '\uFEFF---\r\ntitle: T\r\n---\r\n## Files\r\n- `a.ts` — x\r\n';
    const doc = parseHandoff(text);
    assert.equal(doc.eol, '\r\n');
    assert.equal(doc.meta.title, 'T');
    assert.deepEqual(doc.files.map((f) => [f.path, f.line, f.note]), [['a.ts', 5, 'x']]);
  });

  it('ignores headings and list items inside code fences and HTML comments', () => {
    const text = ['## Startup prompt', '```', '## Files', '- not/a/file.ts', '```', '<!--', '## Decisions', '-->', 'Go.'].join('\n');
    const doc = parseHandoff(text);
    assert.deepEqual(doc.sections.map((s) => s.kind), ['prompt']);
    assert.equal(doc.prompt?.text, '## Files\n- not/a/file.ts\nGo.');
  });

  it('accepts every file item style and normalizes paths', () => {
    const text = [
      '## Files',
      '- `src/a.ts` — backticks with an em dash',
      '- [src/b.ts](src/b.ts): a markdown link',
      '- **src/c.ts** - bold',
      '- src/d.ts: plain with a colon',
      '* ./src/e.ts:42 – with a line suffix',
      '1. src\\f.ts',
      '- [x] `src/g.ts#L10-L20` — a checkbox',
      '  - a nested note, not a file',
      '- /etc/passwd — absolute',
      '- https://example.com/x — a URL',
      '- ../other/repo.ts — outside',
    ].join('\n');
    const files = parseHandoff(text).files;
    assert.deepEqual(
      files.map((f) => [f.path, f.note ?? null, f.problem ?? null]),
      [
        ['src/a.ts', 'backticks with an em dash', null],
        ['src/b.ts', 'a markdown link', null],
        ['src/c.ts', 'bold', null],
        ['src/d.ts', 'plain with a colon', null],
        ['src/e.ts', 'with a line suffix', null],
        ['src/f.ts', null, null],
        ['src/g.ts', 'a checkbox', null],
        ['/etc/passwd', 'absolute', 'absolute'],
        ['https://example.com/x', 'a URL', 'url'],
        ['../other/repo.ts', 'outside', 'outside-workspace'],
      ],
    );
    assert.equal(files[6].endLine, files[6].line + 1, 'the nested note belongs to the item');
  });

  it('reads a file list kept as a table', () => {
    const text = ['## Files', '', '| File | Why |', '|------|-----|', '| `src/a.ts` | entry |', '| docs/b.md | |', ''].join('\n');
    assert.deepEqual(
      parseHandoff(text).files.map((f) => [f.path, f.note ?? null, f.line]),
      [['src/a.ts', 'entry', 5], ['docs/b.md', null, 6]],
    );
  });

  it('prefers an exactly named section over one whose heading only starts with the name', () => {
    const doc = parseHandoff('## Prompt engineering notes\nuse few-shot\n## Startup prompt\nThe real one.\n');
    assert.deepEqual(doc.sections.map((s) => [s.kind, s.approximate]), [['prompt', true], ['prompt', false]]);
    assert.equal(doc.prompt?.text, 'The real one.');
    assert.equal(sectionOf(doc, 'prompt')?.line, 3);
  });

  it('splits control questions from expected answers in every accepted form', () => {
    const text = [
      '## Контрольные вопросы',
      '1. Где схема? — В schema.sql.',
      '2. Why one transaction? -> No partial state.',
      '3. What runs first? (expected: the migrations)',
      '4. Кто владелец?',
      '   Ответ: команда биллинга',
      '5. Which port?',
      '   — 8080',
      '6. What is unanswered?',
      '7. Is a dash-separated answer ok? - Yes.',
      '8. TODO: question — expected answer',
    ].join('\n');
    const qs = parseHandoff(text).questions;
    assert.deepEqual(
      qs.map((q) => [q.question, q.answer ?? null, q.placeholder]),
      [
        ['Где схема?', 'В schema.sql.', false],
        ['Why one transaction?', 'No partial state.', false],
        ['What runs first?', 'the migrations', false],
        ['Кто владелец?', 'команда биллинга', false],
        ['Which port?', '8080', false],
        ['What is unanswered?', null, false],
        ['Is a dash-separated answer ok?', 'Yes.', false],
        ['TODO: question', 'expected answer', true],
      ],
    );
  });

  it('does not count open questions as control questions', () => {
    const doc = parseHandoff('## Open questions\n1. Who owns billing?\n## Открытые вопросы\n1. Кто?\n');
    assert.equal(doc.questions.length, 0);
  });

  it('records the review marker a generated prompt carries', () => {
    const doc = parseHandoff('## Startup prompt\n<!-- review: drafted by llama3 -->\nDo the thing.\n');
    assert.deepEqual(doc.prompt?.review, { line: 2, note: 'drafted by llama3' });
    assert.equal(doc.prompt?.text, 'Do the thing.');
  });

  it('treats a template-only section as placeholders', () => {
    const doc = parseHandoff('## Scope\n- TODO: in scope: ...\n## Decisions\n- TODO: x\n- Real decision.\n');
    assert.equal(sectionOf(doc, 'scope')?.onlyPlaceholders, true);
    assert.equal(sectionOf(doc, 'decisions')?.onlyPlaceholders, false);
    assert.equal(sectionOf(doc, 'decisions')?.placeholderLine, 4);
  });

  describe('unreadable input', () => {
    it('binary text', () => void expectReadError('## Files\n\u0000\u0001', 'binary'));
    it('front matter never closed', () => assert.equal(expectReadError('---\ntitle: x\n## Files\n', 'malformed-front-matter').line, 1));
    it('YAML error with its line', () => {
      const e = expectReadError('---\ntitle: ok\nfrom: [unclosed\nto: x\n---\n## Files\n', 'malformed-front-matter');
      assert.ok(e.line! >= 3, `line ${e.line}`);
      assert.match(e.message, /^malformed front matter on line \d+: /);
    });
    it('front matter that is a list', () => void expectReadError('---\n- a\n- b\n---\n## Files\n', 'malformed-front-matter'));
    it('a plain README', () => void expectReadError('# My project\n\n## Installation\nnpm i\n', 'not-a-handoff'));
    it('empty text', () => void expectReadError('', 'not-a-handoff'));
  });
});
