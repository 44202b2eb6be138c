import assert from 'node:assert/strict';
import { defaultHandoffName, draftHandoff } from '../../../src/core/handoff/draft';
import type { HandoffDraftInput } from '../../../src/core/handoff/draft';
import { parseHandoff, sectionOf } from '../../../src/core/handoff/parse';
import { validateHandoffText } from '../../../src/core/handoff/validate';
import { FILES, ROOT, workspace } from './packages';

const existing = [...FILES, 'README.md'];
const fs = workspace(existing);
const check = (text: string) => validateHandoffText(text, { fs, root: ROOT });

const collected: HandoffDraftInput = {
  title: 'Settings import',
  from: 'Anna',
  to: 'Boris',
  created: new Date('2025-03-14T10:00:00Z'),
  branch: 'feature/import',
  session: '.llmgenie/sessions/2025-03-14-a1.jsonl',
  files: [...existing, { path: './src/app.ts', note: 'entry point' }],
  decisions: [
    { title: 'One transaction', decision: 'the import runs in one transaction', file: 'src/app.ts' },
    { title: 'Schema location', decision: 'src/db/schema.sql is the only schema' },
  ],
  lessons: [{ title: 'ORM truncation', summary: 'validate string lengths before saving' }],
  openQuestions: ['Should the export share the schema?'],
};

describe('draftHandoff', () => {
  it('round-trips: a draft with ≥5 existing files and 3 questions validates and passes', async () => {
    const text = draftHandoff(collected);
    const r = await check(text);
    assert.equal(r.passed, true, JSON.stringify(r.gaps));
    assert.ok(r.score >= 80, `score ${r.score}`);
    assert.deepEqual(r.document.meta, {
      title: 'Settings import',
      from: 'Anna',
      to: 'Boris',
      created: '2025-03-14',
      branch: 'feature/import',
      session: '.llmgenie/sessions/2025-03-14-a1.jsonl',
    });
    assert.equal(r.document.files.length, existing.length, 'duplicates dropped, ./ normalized');
    assert.equal(r.document.questions.length, 3);
    assert.ok(r.document.questions.every((q) => q.answer), 'derived questions carry expected answers');
    // What is left for the author: the review marker and the sections nothing could be collected for.
    assert.deepEqual(r.gaps.map((g) => g.id).sort(), ['placeholder', 'placeholder', 'unreviewed-prompt']);
  });

  it('derives control questions from decisions and lessons, after the given ones', () => {
    const doc = parseHandoff(draftHandoff({ ...collected, questions: [{ question: 'Where is the entry point?', answer: 'src/app.ts' }] }));
    assert.deepEqual(
      doc.questions.map((q) => [q.question, q.answer]),
      [
        ['Where is the entry point?', 'src/app.ts'],
        ['What was decided about "One transaction"?', 'the import runs in one transaction'],
        ['What was decided about "Schema location"?', 'src/db/schema.sql is the only schema'],
      ],
    );
  });

  it('builds the template prompt from the collected parts and marks it for review', () => {
    const doc = parseHandoff(draftHandoff(collected));
    assert.match(doc.prompt!.text, /"Settings import" on branch `feature\/import`/);
    assert.match(doc.prompt!.text, /Decided so far: One transaction; Schema location\./);
    assert.match(doc.prompt!.text, /Should the export share the schema\?/);
    assert.ok(doc.prompt!.review);
    assert.equal(sectionOf(doc, 'openQuestions')?.text, '- Should the export share the schema?');
  });

  it('uses a model-drafted prompt when given, marked with the model', () => {
    const doc = parseHandoff(draftHandoff({ ...collected, prompt: { text: 'Continue the import.', model: 'qwen2.5-coder:7b' } }));
    assert.equal(doc.prompt?.text, 'Continue the import.');
    assert.equal(doc.prompt?.review?.note, 'drafted by qwen2.5-coder:7b');
  });

  it('works from nothing but a title: every missing part is a placeholder the validator reports', async () => {
    const text = draftHandoff({ title: 'Empty', created: '2025-01-01', files: [] });
    const r = await check(text);
    assert.equal(r.passed, false);
    const ids = new Set(r.gaps.map((g) => g.id));
    for (const id of ['too-few-files', 'too-few-questions', 'placeholder', 'missing-metadata']) assert.ok(ids.has(id as never), id);
    assert.ok(!ids.has('missing-prompt'), 'the template prompt is a real prompt');
  });

  it('writes Russian headings when asked, which parse back to the same sections', () => {
    const doc = parseHandoff(draftHandoff({ ...collected, language: 'ru' }));
    assert.equal(doc.language, 'ru');
    assert.deepEqual(
      doc.sections.map((s) => s.kind),
      ['prompt', 'files', 'context', 'lessons', 'scope', 'questions', 'decisions', 'openQuestions'],
    );
    assert.match(doc.prompt!.text, /^Вы продолжаете работу «Settings import»/);
  });

  it('keeps odd titles and notes from breaking the structure', () => {
    const doc = parseHandoff(
      draftHandoff({ ...collected, title: 'a: "b"\n## Files', files: [{ path: 'src/app.ts', note: 'two\nlines' }], decisions: [] }),
    );
    assert.equal(doc.meta.title, 'a: "b" ## Files');
    assert.equal(doc.files[0].note, 'two lines');
    assert.equal(doc.sections.filter((s) => s.kind === 'files').length, 1);
  });
});

describe('defaultHandoffName', () => {
  it('dates and slugs the branch', () => {
    const d = new Date('2025-03-14T23:00:00Z');
    assert.equal(defaultHandoffName(d, 'feature/Login-Page'), '2025-03-14-feature-login-page');
    assert.equal(defaultHandoffName(d), '2025-03-14-handoff');
    assert.equal(defaultHandoffName(d, '///'), '2025-03-14-handoff');
  });
});
