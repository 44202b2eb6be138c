import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { applyFix } from '../../../src/core/handoff/fixes';
import { parseHandoff, sectionOf } from '../../../src/core/handoff/parse';
import { validateHandoffText } from '../../../src/core/handoff/validate';
import type { HandoffGap } from '../../../src/core/handoff/validate';
import { nodeFileSystem } from '../../../src/core/platform/fileSystem';
import { buildPackage, FILES, PARTS, ROOT, workspace } from './packages';
import type { Part } from './packages';

const check = (text: string) => validateHandoffText(text, { fs: workspace(), root: ROOT });
const without = (...drop: Part[]): Part[] => PARTS.filter((p) => !drop.includes(p));

async function gap(text: string, id: HandoffGap['id']): Promise<HandoffGap> {
  const g = (await check(text)).gaps.find((x) => x.id === id);
  assert.ok(g, `no ${id} gap`);
  return g;
}

describe('applyFix', () => {
  it('inserts a missing section in canonical order, separated by blank lines, and the score rises', async () => {
    const text = buildPackage(without('lessons'));
    const before = await check(text);
    const fixed = applyFix(text, before.gaps.find((g) => g.id === 'missing-lessons')!);
    const headings = parseHandoff(fixed).sections.map((s) => s.kind);
    assert.deepEqual(headings, ['prompt', 'files', 'context', 'lessons', 'scope', 'questions', 'decisions']);
    assert.match(fixed, /\n\n## Lessons learned\n\n- TODO: [^\n]+\n\n## Scope\n/);
    const after = await check(fixed);
    assert.ok(after.score > before.score, `${before.score} → ${after.score}`);
    assert.deepEqual(after.gaps.map((g) => g.id), ['placeholder'], 'the template still asks to be filled');
  });

  it('uses Russian headings and templates in a Russian package', async () => {
    const fixed = applyFix(buildPackage(without('scope'), 'ru'), await gap(buildPackage(without('scope'), 'ru'), 'missing-scope'));
    assert.match(fixed, /## Границы\n\n- TODO: входит в задачу/);
  });

  it('appends at the end, keeping a single trailing newline', async () => {
    const text = `${buildPackage(without('decisions')).trimEnd()}\n`;
    const fixed = applyFix(text, await gap(text, 'missing-decisions'));
    assert.ok(fixed.endsWith('## Decisions\n\n- TODO: decision — why it was made and what was rejected.\n'), JSON.stringify(fixed.slice(-120)));
    assert.ok(!fixed.includes('\n\n\n'));
  });

  it('fills an empty section under its heading', async () => {
    const text = buildPackage(PARTS, 'en', { bodies: { context: '' } });
    const fixed = applyFix(text, await gap(text, 'missing-context'));
    const doc = parseHandoff(fixed);
    assert.equal(doc.sections.filter((s) => s.kind === 'context').length, 1);
    assert.equal(sectionOf(doc, 'context')?.onlyPlaceholders, true);
  });

  it('keeps CRLF line endings', async () => {
    const text = buildPackage(without('scope')).replace(/\n/g, '\r\n');
    const fixed = applyFix(text, await gap(text, 'missing-scope'));
    assert.ok(!/[^\r]\n/.test(fixed), 'every newline is CRLF');
    assert.ok(fixed.includes('## Scope\r\n\r\n- TODO'));
  });

  it('removes a missing file together with its continuation lines', async () => {
    const text = buildPackage(PARTS, 'en', { files: [...FILES, 'src/gone.ts'] }).replace(
      '- `src/gone.ts` — note',
      '- `src/gone.ts` — note\n  - it was renamed\n  continued',
    );
    const fixed = applyFix(text, await gap(text, 'missing-file'));
    assert.ok(!fixed.includes('gone.ts') && !fixed.includes('renamed') && !fixed.includes('continued'));
    assert.deepEqual((await check(fixed)).gaps, []);
  });

  it('leaves the text alone when the fix no longer fits or the gap has none', async () => {
    const text = buildPackage(PARTS, 'en', { files: [...FILES, 'src/gone.ts'] });
    const g = await gap(text, 'missing-file');
    const edited = `\n${text}`;
    assert.equal(applyFix(edited, g), edited, 'the line moved: stale fix is ignored');
    assert.equal(applyFix(text, { fix: { kind: 'remove-file', line: 999, endLine: 999, path: 'x' } }), text);
    assert.equal(applyFix(text, {}), text);
  });

  it('adds a section to an empty text', () => {
    const fixed = applyFix('', { fix: { kind: 'add-section', heading: 'Scope', template: '## Scope\n\n- x', line: 1 } });
    assert.equal(fixed, '## Scope\n\n- x\n');
  });

  it('repairs the broken fixture step by step, never lowering the score', async () => {
    const root = resolve('test/fixtures/handoff/workspace').replace(/\\/g, '/');
    let text = readFileSync(`${root}/docs/handoff/broken/HANDOFF.md`, 'utf8');
    let report = await validateHandoffText(text, { fs: nodeFileSystem, root });
    const start = report.score;
    for (let step = 0; step < 20; step++) {
      const fixable = report.gaps.find((g) => g.fix);
      if (!fixable) break;
      const next = applyFix(text, fixable);
      assert.notEqual(next, text, `fix for ${fixable.id} changed the text`);
      const after = await validateHandoffText(next, { fs: nodeFileSystem, root });
      assert.ok(after.score >= report.score, `${fixable.id}: ${report.score} → ${after.score}`);
      text = next;
      report = after;
    }
    assert.ok(!report.gaps.some((g) => g.fix), 'all quick fixes applied');
    assert.ok(report.score > start, `${start} → ${report.score}`);
  });
});
