import assert from 'node:assert/strict';
import { anchorLine, gapKey, handoffPanelModel, unwrapMarkdown } from '../../../src/core/handoff/panelModel';
import { validateHandoffText } from '../../../src/core/handoff/validate';
import { panelModelSchema, panelStateSchema } from '../../../src/webviews/handoff/protocol';
import { buildPackage, FILES, lineOf, PARTS, ROOT, workspace } from './packages';

const FILE = 'docs/handoff/settings-import/HANDOFF.md';

async function model(text: string) {
  const report = await validateHandoffText(text, { fs: workspace(), root: ROOT });
  return { report, model: handoffPanelModel(report, text, FILE) };
}

describe('handoffPanelModel', () => {
  it('shows a complete package: metadata, score, every file found, the prompt and answered questions', async () => {
    const { model: m } = await model(buildPackage(PARTS));
    assert.equal(m.title, 'Settings import');
    assert.deepEqual(m.meta, { title: 'Settings import', from: 'Anna', to: 'Boris', created: '2025-03-14' });
    assert.equal(m.score, 100);
    assert.equal(m.passed, true);
    assert.deepEqual([m.errors, m.warnings, m.gaps.length], [0, 0, 0]);
    assert.deepEqual(m.files.map((f) => [f.path, f.exists]), FILES.map((f) => [f, true]));
    assert.match(m.prompt!.text, /^You are continuing the settings import/);
    assert.deepEqual(m.questions.map((q) => q.answer), ['In src/db/schema.sql.', 'The public settings schema.', 'The integration tests.']);
    assert.equal(m.language, 'en');
  });

  it('points file-level gaps at the title line and labels their fixes', async () => {
    const text = buildPackage(PARTS.filter((p) => p !== 'scope'));
    const { report, model: m } = await model(text);
    const scope = m.gaps.find((g) => g.id === 'missing-scope')!;
    assert.equal(scope.line, lineOf(text, '# Settings import'));
    assert.equal(scope.fixLabel, 'Add the “Scope” section');
    assert.equal(scope.key, gapKey(report.gaps.find((g) => g.id === 'missing-scope')!));
    assert.equal(scope.cost, 8);
    assert.equal(m.score, 92);
  });

  it('counts errors and warnings and marks missing files; keys are unique per package', async () => {
    const files = [...FILES, 'src/gone.ts', 'src/also-gone.ts'];
    const text = buildPackage(PARTS.filter((p) => p !== 'lessons'), 'en', { files });
    const { model: m } = await model(text);
    assert.equal(m.errors, 2);
    assert.equal(m.warnings, 1);
    assert.equal(m.passed, false);
    assert.deepEqual(m.files.filter((f) => !f.exists).map((f) => [f.path, f.line]), [
      ['src/gone.ts', lineOf(text, 'src/gone.ts')],
      ['src/also-gone.ts', lineOf(text, 'src/also-gone.ts')],
    ]);
    assert.equal(new Set(m.gaps.map((g) => g.key)).size, m.gaps.length);
    assert.ok(m.gaps.filter((g) => g.id === 'missing-file').every((g) => g.fixLabel?.startsWith('Remove src/')));
  });

  it('leaves out a placeholder prompt and placeholder questions; falls back to the folder name for a title', async () => {
    const text = ['## Startup prompt', '', 'TODO: write it', '', '## Control questions', '', '1. TODO: question — expected answer', ''].join('\n');
    const { model: m } = await model(text);
    assert.equal(m.prompt, undefined);
    assert.deepEqual(m.questions, []);
    assert.equal(m.title, 'settings-import');
  });

  it('is what the webview protocol accepts', async () => {
    const { model: m } = await model(buildPackage(PARTS.filter((p) => p !== 'decisions'), 'ru', { files: [...FILES, 'нет/файла.ts'] }));
    assert.deepEqual(panelModelSchema.parse(m), JSON.parse(JSON.stringify(m)));
    assert.ok(panelStateSchema.safeParse({ status: 'ok', model: m }).success);
    assert.ok(!panelStateSchema.safeParse({ status: 'ok', model: { ...m, score: 101 } }).success);
  });
});

describe('anchorLine', () => {
  it('is the title after the front matter, else line 1', async () => {
    const withMeta = buildPackage(PARTS);
    assert.equal(anchorLine(withMeta, await validateHandoffText(withMeta, { fs: workspace(), root: ROOT })), lineOf(withMeta, '# Settings import'));
    const bare = '## Files\n\n- `src/app.ts`\n';
    assert.equal(anchorLine(bare, await validateHandoffText(bare, { fs: workspace(), root: ROOT })), 1);
    const hashInMeta = '---\ntitle: "# not a heading"\n---\n\n## Files\n';
    assert.equal(anchorLine(hashInMeta, await validateHandoffText(hashInMeta, { fs: workspace(), root: ROOT })), 1);
  });
});

describe('unwrapMarkdown', () => {
  it('joins soft-wrapped paragraph lines', () => {
    assert.equal(unwrapMarkdown('You are taking over\nthe rounding fix.\n\nStart with\n`src/a.ts`.'), 'You are taking over the rounding fix.\n\nStart with `src/a.ts`.');
  });

  it('keeps list items, headings, quotes, tables and hard breaks on their lines, and joins lazy continuations', () => {
    const text = ['Steps:', '1. Read the files', '   in order.', '2. Run tests.', '- a', '- b', '> quoted', '| a | b |', '| - | - |', 'Line one  ', 'line two\\', 'line three', '### Note', 'after'].join('\n');
    assert.equal(
      unwrapMarkdown(text),
      ['Steps:', '1. Read the files in order.', '2. Run tests.', '- a', '- b', '> quoted', '| a | b |', '| - | - |', 'Line one  ', 'line two\\', 'line three', '### Note', 'after'].join('\n'),
    );
  });

  it('leaves code fences alone', () => {
    const text = 'Run:\n```sh\nnpm ci\nnpm test\n```\nthen\npush.';
    assert.equal(unwrapMarkdown(text), 'Run:\n```sh\nnpm ci\nnpm test\n```\nthen push.');
  });

  it('is what the panel shows and copies of a wrapped prompt', async () => {
    const wrapped = 'You are continuing the settings import. Read the files below in order,\nkeep the schema backwards compatible, and run the integration tests\nbefore you push. Ask before touching the public API.';
    const { model: m } = await model(buildPackage(PARTS, 'en', { bodies: { prompt: wrapped } }));
    assert.equal(m.prompt!.text, wrapped.replace(/\n/g, ' '));
  });
});
