import assert from 'node:assert/strict';
import fc from 'fast-check';
import { captureBody, dedent, draftFromSelection, suggestTags, titleFromSelection } from '../../../src/core/lessons/capture';
import { readLessonFrontMatter } from '../../../src/core/lessons/frontMatter';
import { LessonStore } from '../../../src/core/lessons/store';
import { MemoryFileSystem } from '../../support/memoryFileSystem';

const ROUNDING = `  export function toCents(amount: number): number {
    // Half away from zero, as the tax office expects; Math.round would round -0.5 towards +∞.
    return Math.sign(amount) * Math.round(Math.abs(amount) * 100);
  }
`;

describe('lessons: capture from a selection', () => {
  it('takes the title from the first comment, cut to its first clause when long', () => {
    assert.equal(titleFromSelection(dedent(ROUNDING)), 'Half away from zero, as the tax office expects');
  });

  it('takes the first sentence of prose and the first line of uncommented code', () => {
    assert.equal(titleFromSelection('never trust the clock. Inject it instead.'), 'Never trust the clock');
    // A line of code is never the title: the code's own names are (#16.10).
    assert.equal(titleFromSelection('\n\nconst total = lines.reduce((sum, l) => sum + l.qty * l.price, 0);\n', 'src/billing.ts'), 'Calling lines.reduce in billing.ts');
    assert.equal(titleFromSelection('const res = await fetch(url, { headers });\nif (!res.ok) throw new Error(res.statusText);', 'src/payments.ts'), 'Calling fetch in payments.ts');
    assert.equal(titleFromSelection('export function invoiceTotal(lines) {\n  return 0;\n}', 'src/billing.ts'), 'invoiceTotal in billing.ts');
    assert.equal(titleFromSelection('if (user) {\n  greet(user);\n}'), 'Calling greet');
    assert.equal(titleFromSelection('# Логи без секретов\n\nНикогда не пишите токены в лог.'), 'Логи без секретов');
    assert.equal(titleFromSelection('/** Retries are idempotent only with a request id. */'), 'Retries are idempotent only with a request id');
    // The tail of a comment selected after its `//` is prose, parentheses and all; a call with many arguments is not.
    assert.equal(titleFromSelection('llmgenie policy demo: the hard-coded secret is an error (rule 400),', 'src/payments.ts'), 'Llmgenie policy demo: the hard-coded secret is an error (rule 400)');
    assert.equal(titleFromSelection('retry(fetchCharge, backoff, jitter, limit, signal)', 'src/payments.ts'), 'Calling retry in payments.ts');
    assert.equal(titleFromSelection('logger.info(message, user, request, response)', 'src/log.ts'), 'Calling logger.info in log.ts');
    assert.equal(titleFromSelection('sum(a, b, c, d, e, f)'), 'Calling sum');
  });

  it('shortens very long titles at a word boundary', () => {
    const t = titleFromSelection(`// ${'word '.repeat(40)}`);
    assert.ok(t.length <= 81, t);
    assert.ok(t.endsWith('…'));
  });

  it('keeps code indentation relative to the selection and tabs as written', () => {
    assert.equal(dedent(ROUNDING), 'export function toCents(amount: number): number {\n  // Half away from zero, as the tax office expects; Math.round would round -0.5 towards +∞.\n  return Math.sign(amount) * Math.round(Math.abs(amount) * 100);\n}');
    assert.equal(dedent('\t\tif x:\n\t\t\treturn 1\r\n\n'), 'if x:\n\treturn 1');
  });

  it('pre-fills source, globs, tags and a fenced body in the file language', () => {
    const draft = draftFromSelection({ text: ROUNDING, languageId: 'typescript', relPath: 'src/handoff-demo/rounding.ts', line: 2, knownTags: ['money', 'rounding'] });
    assert.equal(draft.source, 'src/handoff-demo/rounding.ts:2');
    assert.deepEqual(draft.globs, ['src/handoff-demo/rounding.ts']);
    assert.deepEqual(draft.tags, ['typescript', 'rounding']);
    const body = captureBody(draft);
    assert.match(body, /^```typescript\nexport function toCents/);
    assert.match(body, /\n```\n\nWhy it matters:\n$/);
    assert.match(captureBody(draft, ' Tax rounding differs from Math.round. '), /Why it matters: Tax rounding differs from Math\.round\.\n$/);
  });

  it('uses a longer fence when the selection contains backticks', () => {
    const draft = draftFromSelection({ text: 'const s = `a ${"```"} b`;', languageId: 'javascript', relPath: 'a.js', line: 1 });
    assert.match(captureBody(draft), /^````javascript\n/);
  });

  it('suggests the language, known path words, else the file name; never generic folders', () => {
    assert.deepEqual(suggestTags({ languageId: 'typescriptreact', relPath: 'src/components/Button.tsx' }), ['typescript', 'react', 'button']);
    assert.deepEqual(suggestTags({ languageId: 'python', relPath: 'src/billing/invoice.py', knownTags: ['billing'] }), ['python', 'billing']);
    assert.deepEqual(suggestTags({ languageId: 'plaintext', relPath: 'notes.txt' }), ['notes']);
    assert.deepEqual(suggestTags({ languageId: 'go', relPath: 'src/index.go' }), ['go']);
  });

  it('round-trips a capture through the store: the saved file parses back to the same lesson', async () => {
    const fs = new MemoryFileSystem();
    const store = new LessonStore({ fs, root: '/ws', clock: { now: () => new Date('2026-11-26T10:00:00Z') } });
    await store.load();
    const draft = draftFromSelection({ text: ROUNDING, languageId: 'typescript', relPath: 'src/handoff-demo/rounding.ts', line: 2 });
    const lesson = await store.add({ title: draft.title, tags: draft.tags, source: draft.source, globs: draft.globs, body: captureBody(draft) });
    assert.equal(lesson.path, '/ws/docs/lessons/2026-11-26-half-away-from-zero-as-the-tax-office-expects.md');
    const parsed = readLessonFrontMatter(fs.files.get(lesson.path)!);
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.fields.source, 'src/handoff-demo/rounding.ts:2');
    assert.deepEqual(store.relatedLessons('src/handoff-demo/rounding.ts').map((l) => l.id), [lesson.id]);
    assert.equal(store.searchText('tax office')[0].id, lesson.id);
  });

  it('never throws on arbitrary selections and always yields a one-line title', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.constantFrom('typescript', 'python', 'markdown', 'plaintext', 'weird-lang'), (text, languageId) => {
        const draft = draftFromSelection({ text, languageId, relPath: 'src/x/y.ts', line: 1 });
        assert.ok(!draft.title.includes('\n'));
        assert.ok(draft.title.length <= 81);
        assert.equal(typeof captureBody(draft), 'string');
      }),
    );
  });
});
