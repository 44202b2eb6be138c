import assert from 'node:assert/strict';
import { DEFAULT_HANDOFF_CONFIG } from '../../../src/core/handoff/config';
import { validateHandoffText } from '../../../src/core/handoff/validate';
import type { HandoffGap, HandoffReport } from '../../../src/core/handoff/validate';
import { buildPackage, FILES, HEADINGS, LANGS, lineOf, PARTS, ROOT, workspace } from './packages';
import type { BuildOptions, Part } from './packages';

const W = DEFAULT_HANDOFF_CONFIG.weights;

async function check(text: string, files: readonly string[] = FILES, config = {}): Promise<HandoffReport> {
  return validateHandoffText(text, { fs: workspace(files), root: ROOT, config });
}

function without(...drop: Part[]): Part[] {
  return PARTS.filter((p) => !drop.includes(p));
}

function only(report: HandoffReport, id: HandoffGap['id']): HandoffGap[] {
  return report.gaps.filter((g) => g.id === id);
}

function assertConsistent(report: HandoffReport): void {
  const spent = report.gaps.reduce((s, g) => s + g.cost, 0);
  assert.equal(report.score, Math.max(0, 100 - spent), 'score = 100 - sum of gap costs');
  assert.equal(report.passed, !report.gaps.some((g) => g.severity === 'error') && report.score >= report.minScore);
}

for (const lang of LANGS) {
  describe(`handoff validation rules (${lang} headings)`, () => {
    const build = (parts: Iterable<Part>, opts?: BuildOptions): string => buildPackage(parts, lang, opts);

    it('a complete package scores at least 90 and passes with no gaps', async () => {
      const r = await check(build(PARTS));
      assert.deepEqual(r.gaps, []);
      assert.ok(r.score >= 90);
      assert.equal(r.passed, true);
      assert.deepEqual(r.files.map((f) => f.exists), FILES.map(() => true));
    });

    it('error: no startup prompt (with a fix that adds the section before Files)', async () => {
      const text = build(without('prompt'));
      const r = await check(text);
      const [gap] = only(r, 'missing-prompt');
      assert.equal(gap.severity, 'error');
      assert.equal(gap.cost, W.missingPrompt);
      assert.equal(r.passed, false);
      assert.equal(gap.fix?.kind, 'add-section');
      assert.equal(gap.fix?.kind === 'add-section' && gap.fix.line, lineOf(text, `## ${HEADINGS[lang].files}`));
      assertConsistent(r);
    });

    it('error: an empty startup prompt section, at its line', async () => {
      const text = build(PARTS, { bodies: { prompt: '<!-- write me -->' } });
      const [gap] = only(await check(text), 'missing-prompt');
      assert.equal(gap.line, lineOf(text, `## ${HEADINGS[lang].prompt}`));
    });

    it('error: fewer than 5 files, costing more the fewer there are', async () => {
      const text = build(PARTS, { files: FILES.slice(0, 4) });
      const r4 = await check(text);
      const [gap] = only(r4, 'too-few-files');
      assert.equal(gap.severity, 'error');
      assert.equal(gap.line, lineOf(text, `## ${HEADINGS[lang].files}`));
      assert.equal(r4.passed, false);
      const r1 = await check(build(PARTS, { files: FILES.slice(0, 1) }));
      const r0 = await check(build(without('files')));
      assert.ok(r1.score < r4.score && r0.score < r1.score, `${r0.score} < ${r1.score} < ${r4.score}`);
      assert.equal(only(r0, 'too-few-files')[0].cost, W.tooFewFiles);
    });

    it('error: a listed file that does not exist, with a remove-file fix at its line', async () => {
      const listed = [...FILES, 'src/gone.ts'];
      const text = build(PARTS, { files: listed });
      const r = await check(text);
      const [gap] = only(r, 'missing-file');
      assert.equal(gap.severity, 'error');
      assert.equal(gap.line, lineOf(text, 'src/gone.ts'));
      assert.deepEqual(gap.fix, { kind: 'remove-file', line: gap.line, endLine: gap.line, path: 'src/gone.ts' });
      assert.equal(r.files.find((f) => f.path === 'src/gone.ts')?.exists, false);
      assert.equal(r.passed, false);
      assertConsistent(r);
    });

    it('error: a path that is not workspace-relative', async () => {
      const r = await check(build(PARTS, { files: [...FILES, '/etc/hosts'] }));
      assert.equal(only(r, 'invalid-file-path').length, 1);
      assert.equal(r.passed, false);
    });

    it('error: fewer than 3 control questions', async () => {
      const questions = lang === 'en' ? '1. Where? — Here.\n2. Why? — Because.' : '1. Где? — Здесь.\n2. Зачем? — Потому что.';
      const text = build(PARTS, { bodies: { questions } });
      const r = await check(text);
      const [gap] = only(r, 'too-few-questions');
      assert.equal(gap.severity, 'error');
      assert.equal(gap.line, lineOf(text, `## ${HEADINGS[lang].questions}`));
      assert.equal(r.passed, false);
      assert.equal(only(await check(build(without('questions'))), 'too-few-questions')[0].cost, W.tooFewQuestions);
    });

    const optional: Array<[Part, HandoffGap['id'], number]> = [
      ['context', 'missing-context', W.missingContext],
      ['lessons', 'missing-lessons', W.missingLessons],
      ['scope', 'missing-scope', W.missingScope],
      ['decisions', 'missing-decisions', W.missingDecisions],
    ];
    for (const [part, id, weight] of optional) {
      it(`warning: missing ${part} lowers the score by ${weight} but still passes`, async () => {
        const r = await check(build(without(part)));
        assert.deepEqual(r.gaps.map((g) => [g.id, g.severity, g.cost]), [[id, 'warning', weight]]);
        assert.equal(r.score, 100 - weight);
        assert.equal(r.passed, true);
        assert.equal(r.gaps[0].fix?.kind, 'add-section');
      });
      it(`warning: an empty ${part} section is reported at its heading`, async () => {
        const text = build(PARTS, { bodies: { [part]: '' } });
        const [gap] = only(await check(text), id);
        assert.equal(gap.line, lineOf(text, `## ${HEADINGS[lang][part as Exclude<Part, 'meta'>]}`));
      });
    }

    it('warning: a question without an expected answer, at its line', async () => {
      const questions =
        lang === 'en'
          ? '1. Where? — Here.\n2. Why? — Because.\n3. Who owns it?'
          : '1. Где? — Здесь.\n2. Зачем? — Потому что.\n3. Кто владелец?';
      const text = build(PARTS, { bodies: { questions } });
      const r = await check(text);
      assert.deepEqual(r.gaps.map((g) => [g.id, g.severity, g.line]), [['unanswered-question', 'warning', lineOf(text, '3. ')]]);
      assert.equal(r.passed, true);
    });

    it('warning: a very short startup prompt', async () => {
      const r = await check(build(PARTS, { bodies: { prompt: lang === 'en' ? 'Finish it.' : 'Доделайте.' } }));
      assert.deepEqual(r.gaps.map((g) => [g.id, g.cost]), [['short-prompt', W.shortPrompt]]);
    });

    it('warning: a file listed twice, with a fix removing the second entry', async () => {
      const text = build(PARTS, { files: [...FILES, FILES[0]] });
      const r = await check(text);
      const [gap] = only(r, 'duplicate-file');
      assert.equal(gap.severity, 'warning');
      assert.equal(gap.fix?.kind === 'remove-file' && gap.fix.line, text.split('\n').lastIndexOf(`- \`${FILES[0]}\` — ${lang === 'ru' ? 'заметка' : 'note'}`) + 1);
    });

    it('warning: front matter without title/from/to/created', async () => {
      const r = await check(build(without('meta')));
      assert.deepEqual(r.gaps.map((g) => [g.id, g.cost]), [['missing-metadata', 4 * W.missingMetadata]]);
    });

    it('warning: a template placeholder left in a section costs less than the missing section', async () => {
      const r = await check(build(PARTS, { bodies: { scope: '- TODO: in scope: ...' } }));
      assert.deepEqual(r.gaps.map((g) => [g.id, g.cost]), [['placeholder', W.placeholder]]);
      assert.ok(W.placeholder < W.missingScope);
    });
  });
}

describe('handoff scoring and config', () => {
  it('a generated prompt still marked for review is a warning at the marker line', async () => {
    const text = buildPackage(PARTS, 'en', {
      bodies: { prompt: `<!-- review: drafted by qwen2.5 -->\n${'Read the files, then continue the import. '.repeat(5)}` },
    });
    const r = await check(text);
    assert.deepEqual(r.gaps.map((g) => [g.id, g.line]), [['unreviewed-prompt', lineOf(text, 'review:')]]);
    assert.match(r.gaps[0].message, /drafted by qwen2\.5/);
  });

  it('caps repeated gaps of one rule', async () => {
    const missing = Array.from({ length: 20 }, (_, i) => `src/missing${i}.ts`);
    const r = await check(buildPackage(PARTS, 'en', { files: [...FILES, ...missing] }));
    assert.equal(only(r, 'missing-file').length, 20);
    assert.equal(only(r, 'missing-file').reduce((s, g) => s + g.cost, 0), DEFAULT_HANDOFF_CONFIG.caps.missingFile);
    assertConsistent(r);
  });

  it('lists errors first, then warnings by line', async () => {
    const r = await check(buildPackage(without('context', 'scope'), 'en', { files: [...FILES, FILES[1], 'nope.ts'] }));
    const severities = r.gaps.map((g) => g.severity);
    assert.deepEqual(severities, [...severities].sort());
    assertConsistent(r);
  });

  it('honours thresholds and weights from the config', async () => {
    const text = buildPackage(without('lessons'), 'en', { files: FILES.slice(0, 3) });
    const strict = await check(text);
    assert.equal(strict.passed, false);
    const lenient = await check(text, FILES, { minFiles: 3, minScore: 95, weights: { missingLessons: 4 } });
    assert.equal(lenient.score, 96);
    assert.equal(lenient.passed, true);
    const picky = await check(text, FILES, { minFiles: 3, minScore: 97, weights: { missingLessons: 4 } });
    assert.equal(picky.passed, false, 'no errors but the score is below minScore');
  });

  it('counts only existing files toward the minimum', async () => {
    const r = await check(buildPackage(PARTS, 'en', { files: [...FILES.slice(0, 4), 'gone.ts'] }));
    assert.match(only(r, 'too-few-files')[0].message, /^4 existing files listed/);
  });

  it('accepts a files folder entry that exists as a directory', async () => {
    const r = await check(buildPackage(PARTS, 'en', { files: [...FILES.slice(0, 4), 'src/db/'] }));
    assert.deepEqual(r.gaps, []);
    assert.equal(r.files[4].kind, 'directory');
  });
});
