import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyFix } from '../../../src/core/handoff/fixes';
import { fixLabel, fixReplacement, minimalReplacement } from '../../../src/core/handoff/fixEdit';
import type { TextReplacement } from '../../../src/core/handoff/fixEdit';
import { validateHandoffText } from '../../../src/core/handoff/validate';
import { buildPackage, PARTS, ROOT, workspace } from './packages';
import type { Part } from './packages';

const apply = (text: string, r: TextReplacement): string => text.slice(0, r.start) + r.text + text.slice(r.end);
const check = (text: string) => validateHandoffText(text, { fs: workspace(), root: ROOT });

describe('fixReplacement', () => {
  const cases: Array<[string, string]> = [
    ['missing scope', buildPackage(PARTS.filter((p) => p !== 'scope'))],
    ['missing decisions (append at the end)', buildPackage(PARTS.filter((p) => p !== 'decisions'))],
    ['missing prompt, Russian', buildPackage(PARTS.filter((p) => p !== 'prompt'), 'ru')],
    ['missing files and a CRLF file', buildPackage(PARTS.filter((p) => p !== 'files')).replace(/\n/g, '\r\n')],
    ['a missing and a duplicate file', buildPackage(PARTS, 'en', { files: ['src/app.ts', 'src/gone.ts', 'config/app.yaml', 'src/app.ts', 'docs/architecture.md', 'test/app.test.ts', 'src/db/schema.sql'] })],
    ['empty sections', buildPackage(PARTS, 'en', { bodies: { lessons: '', questions: '' } })],
  ];
  for (const [name, text] of cases) {
    it(`edits only whole lines and yields what applyFix yields: ${name}`, async () => {
      const fixable = (await check(text)).gaps.filter((g) => g.fix);
      assert.ok(fixable.length > 0, 'the case has a fixable gap');
      for (const gap of fixable) {
        const r = fixReplacement(text, gap);
        assert.ok(r, `${gap.id} produced an edit`);
        assert.equal(apply(text, r), applyFix(text, gap), gap.id);
        assert.ok(r.start === 0 || text[r.start - 1] === '\n', `${gap.id} starts at a line start`);
        assert.ok(r.end === text.length || text[r.end - 1] === '\n', `${gap.id} ends at a line start`);
        assert.ok(r.end - r.start < text.length / 2, `${gap.id} replaces a small part, not the whole text`);
      }
    });
  }

  it('inserting a missing section replaces nothing and raises the score', async () => {
    const text = buildPackage(PARTS.filter((p: Part) => p !== 'scope'));
    const before = await check(text);
    const r = fixReplacement(text, before.gaps.find((g) => g.id === 'missing-scope')!)!;
    assert.equal(r.start, r.end, 'a pure insertion');
    assert.match(r.text, /^## Scope\n\n- TODO: in scope/);
    const after = await check(apply(text, r));
    assert.ok(after.score > before.score, `${before.score} → ${after.score}`);
    assert.ok(!after.gaps.some((g) => g.id === 'missing-scope'));
  });

  it('is undefined for a gap without a fix and for a fix that no longer fits the text', async () => {
    const text = buildPackage(PARTS, 'en', { files: ['src/app.ts', 'src/gone.ts', 'config/app.yaml', 'docs/architecture.md', 'test/app.test.ts'] });
    const gaps = (await check(text)).gaps;
    assert.equal(fixReplacement(text, {}), undefined);
    const unanswered = (await check(buildPackage(PARTS, 'en', { bodies: { questions: '1. a?\n2. b?\n3. c?' } }))).gaps;
    assert.equal(fixReplacement(text, unanswered.find((g) => g.id === 'unanswered-question')!), undefined);
    const missing = gaps.find((g) => g.id === 'missing-file')!;
    assert.equal(fixReplacement(text.replace('src/gone.ts', 'src/other.ts'), missing), undefined);
  });

  it('minimalReplacement turns any text into any other, on line boundaries (property)', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', '', '## X', 'é', '😀', 'a\r', '- `f`'), { maxLength: 8 }).map((l) => l.join('\n'));
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const r = minimalReplacement(a, b);
        if (a === b) return r === undefined;
        assert.ok(r);
        assert.equal(apply(a, r), b);
        assert.ok(r.start === 0 || a[r.start - 1] === '\n');
        assert.ok(r.end === a.length || a[r.end - 1] === '\n');
        return true;
      }),
    );
  });
});

describe('fixLabel', () => {
  it('names what each kind of fix does', () => {
    assert.equal(fixLabel({ kind: 'remove-file', line: 3, endLine: 3, path: 'src/gone.ts' }), 'Remove src/gone.ts from the list');
    assert.equal(fixLabel({ kind: 'add-section', heading: 'Scope', template: '## Scope\n\n- TODO', line: 9 }), 'Add the “Scope” section');
    assert.equal(fixLabel({ kind: 'add-section', heading: 'Уроки', template: '- TODO: что', line: 9 }), 'Fill in “Уроки” from a template');
  });
});
