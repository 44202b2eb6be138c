import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HandoffReadError } from '../../../src/core/handoff/errors';
import { applyFix } from '../../../src/core/handoff/fixes';
import { validateHandoffText } from '../../../src/core/handoff/validate';
import type { HandoffReport } from '../../../src/core/handoff/validate';
import { buildPackage, FILES, LANGS, PARTS, ROOT, workspace } from './packages';
import type { Part } from './packages';

const fs = workspace();
const check = (text: string) => validateHandoffText(text, { fs, root: ROOT });

/** A score, or undefined when the text is not a handoff at all (which must be a HandoffReadError). */
async function scoreOrNone(text: string): Promise<number | undefined> {
  try {
    return (await check(text)).score;
  } catch (e) {
    if (e instanceof HandoffReadError) return undefined;
    throw e;
  }
}

function assertWellFormed(r: HandoffReport): void {
  assert.ok(Number.isInteger(r.score) && r.score >= 0 && r.score <= 100, `score ${r.score}`);
  assert.equal(typeof r.passed, 'boolean');
  for (const g of r.gaps) {
    assert.ok(g.severity === 'error' || g.severity === 'warning');
    assert.ok(typeof g.message === 'string' && g.message.length > 0 && !g.message.includes('\n'));
    if (g.line !== undefined) assert.ok(g.line >= 1 && g.line <= r.document.lineCount + 1, `line ${g.line}`);
  }
}

describe('handoff properties', () => {
  it('adding a missing part never lowers the score (any subset, both languages)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray([...PARTS]), fc.constantFrom(...PARTS), fc.constantFrom(...LANGS), async (subset, extra, lang) => {
        const before = await scoreOrNone(buildPackage(subset, lang));
        const after = await scoreOrNone(buildPackage(new Set<Part>([...subset, extra]), lang));
        assert.notEqual(after, undefined, 'a package with at least one part is readable');
        if (before !== undefined) assert.ok(after! >= before, `${subset.join('+')} + ${extra}: ${before} → ${after}`);
      }),
      { numRuns: 200 },
    );
  });

  it('each missing part costs visibly', async () => {
    const full = (await check(buildPackage(PARTS))).score;
    for (const lang of LANGS) {
      for (const part of PARTS) {
        const score = (await check(buildPackage(PARTS.filter((p) => p !== part), lang))).score;
        assert.ok(full - score >= 5, `${lang} without ${part}: ${full} → ${score}`);
      }
    }
  });

  it('applying any offered fix never lowers the score', async () => {
    const listed = fc.subarray([...FILES, FILES[0], 'gone.ts', 'also/gone.md', '/abs/path.ts'], { minLength: 0 });
    await fc.assert(
      fc.asyncProperty(fc.subarray([...PARTS], { minLength: 1 }), listed, fc.constantFrom(...LANGS), async (parts, files, lang) => {
        const text = buildPackage(parts, lang, { files });
        const before = await check(text);
        for (const gap of before.gaps.filter((g) => g.fix)) {
          const after = await check(applyFix(text, gap));
          assert.ok(after.score >= before.score, `${gap.id}: ${before.score} → ${after.score}`);
        }
      }),
      { numRuns: 150 },
    );
  });

  // Markdown-shaped noise: the building blocks of real packages, shuffled, truncated and mixed with garbage.
  const fragment = fc.oneof(
    fc.constantFrom(
      '---', '...', 'title: x', 'from: [', 'to: "', 'created: 2025-01-01', ': :', '- - -', '## Files', '## Файлы',
      '## Startup prompt', '## Контрольные вопросы', '## Control questions', '## Scope', '#', '##', '## ', '```', '~~~',
      '<!--', '-->', '<!-- review: drafted by x -->', '- `src/app.ts` — note', '- `', '- [a](', '- **', '1. q? — a',
      '1. ?', '2) — ', '- TODO: x', '   - nested', '\t- tab', '', ' ', '- ../../etc', '- C:\\x', '- https://x',
      '\u0000', '\uFEFF', '\r', '\u2028',
    ),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
  );
  const markdownish = fc.array(fragment, { maxLength: 40 }).map((lines) => lines.join('\n'));

  it('fuzz: malformed input gives a report or a HandoffReadError, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(markdownish, fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 })), async (text) => {
        let report: HandoffReport;
        try {
          report = await check(text);
        } catch (e) {
          assert.ok(e instanceof HandoffReadError, `unexpected ${String(e)}`);
          assert.ok(e.message.length > 0 && !e.message.includes('\n'));
          return;
        }
        assertWellFormed(report);
        for (const gap of report.gaps) assert.equal(typeof applyFix(text, gap), 'string');
      }),
      { numRuns: 600 },
    );
  });

  it('fuzz: a valid package with random lines spliced in stays readable', async () => {
    const base = buildPackage(PARTS).split('\n');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(base.length), fragment), { maxLength: 6 }), async (inserts) => {
        const lines = [...base];
        for (const [at, l] of inserts) lines.splice(at, 0, l);
        const text = lines.join('\n');
        try {
          assertWellFormed(await check(text));
        } catch (e) {
          if (!(e instanceof HandoffReadError)) throw e;
        }
      }),
      { numRuns: 300 },
    );
  });
});
