import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildCommitTask, buildEditorTask, cleanCommitMessage, contextCharBudget, fileWindow, lineAt } from '../../../src/core/router/editorTasks';
import { decideRoute } from '../../../src/core/router/classifier';

const FILE = "import { logger } from './logger';\n\nexport function total(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}\n";
const src = (start: number, end: number, text = FILE) => ({ fileName: 'src/total.ts', languageId: 'typescript', text, selection: { start, end } });

describe('router/editorTasks', () => {
  it('sends the selection with its line range, file name and language', () => {
    const start = FILE.indexOf('export');
    const t = buildEditorTask('explain', src(start, FILE.length), { maxContextChars: 10_000 });
    assert.equal(t.scope, 'selection');
    assert.equal(t.label, 'src/total.ts:3–5');
    assert.equal(t.input.prompt, 'Explain this code from src/total.ts (lines 3–5).');
    assert.equal(t.input.context, FILE.slice(start));
    assert.equal(t.input.fileName, 'src/total.ts');
    assert.equal(t.input.language, 'typescript');
    assert.equal(t.input.command, 'explain');
    assert.deepEqual(t.input.files, ['src/total.ts']);
    assert.equal(t.truncated, undefined);
  });

  it('uses the whole file when nothing (or only whitespace) is selected', () => {
    const blank = FILE.indexOf('\n\n') + 1;
    for (const t of [buildEditorTask('review', src(0, 0), { maxContextChars: 10_000 }), buildEditorTask('review', src(blank, blank + 1), { maxContextChars: 10_000 })]) {
      assert.equal(t.scope, 'file');
      assert.equal(t.label, 'src/total.ts (whole file)');
      assert.equal(t.input.prompt, 'Review the file src/total.ts.');
      assert.equal(t.input.context, FILE);
    }
  });

  it('puts the question of Ask… and the instruction of Refactor into the prompt', () => {
    const ask = buildEditorTask('ask', src(0, 10), { question: '  why is this slow? ', maxContextChars: 10_000 });
    assert.equal(ask.input.prompt, 'why is this slow?\n\n(About this code from src/total.ts (lines 1).)');
    const refactor = buildEditorTask('refactor', src(0, 0), { question: 'use a for loop', maxContextChars: 10_000 });
    assert.match(refactor.input.prompt, /^Refactor the file src\/total\.ts\. Keep its behaviour and public interface\. Specifically: use a for loop$/);
    assert.equal(buildEditorTask('tests', src(0, 0), { maxContextChars: 10_000 }).input.prompt, 'Write unit tests for the file src/total.ts.');
  });

  it('keeps editor prompts routed by their content, not by the template (Explain local, Review cloud by default)', () => {
    const start = FILE.indexOf('export');
    const explain = buildEditorTask('explain', src(start, FILE.length), { maxContextChars: 10_000 }).input;
    assert.equal(decideRoute({ prompt: explain.prompt, context: explain.context, command: 'explain' }, 'auto').route, 'local');
    const review = buildEditorTask('review', src(start, FILE.length), { maxContextChars: 10_000 }).input;
    assert.equal(decideRoute({ prompt: review.prompt, context: review.context, command: 'review' }, 'auto', { review: 'cloud' }).route, 'cloud');
  });

  it('cuts a large file to whole lines around the cursor and says which lines were sent', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`);
    const text = lines.join('\n');
    const cursor = text.indexOf('line 500');
    const t = buildEditorTask('explain', { ...src(cursor, cursor, text), cursor }, { maxContextChars: 500 });
    assert.equal(t.scope, 'file');
    assert.ok(t.input.context!.length <= 500);
    assert.ok(t.input.context!.includes('line 500'));
    const first = Number(/^line (\d+)/.exec(t.input.context!)![1]);
    const last = Number(/line (\d+)$/.exec(t.input.context!)![1]);
    assert.ok(first < 500 && last > 500 && 500 - first <= last - 500 + 2, `${first}..${last}`);
    assert.equal(t.truncated, `file too large: sent lines ${first}–${last} of 1000`);
    assert.match(t.input.prompt, new RegExp(`^Explain this part of src/total\\.ts \\(lines ${first}–${last}; the file is longer\\)\\.$`));
    assert.equal(t.label, `src/total.ts:${first}–${last}`);
  });

  it('cuts a large selection at a line boundary', () => {
    const text = Array.from({ length: 100 }, (_, i) => `l${i}`).join('\n');
    const t = buildEditorTask('explain', src(0, text.length, text), { maxContextChars: 50 });
    assert.ok(t.input.context!.length <= 50);
    assert.ok(!t.input.context!.endsWith('\n'));
    assert.match(t.truncated!, /^selection cut to its first \d+ lines$/);
  });

  it('fileWindow always holds the cursor line and never exceeds the budget', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 }), { minLength: 1, maxLength: 60 }), fc.nat(), fc.integer({ min: 1, max: 400 }), (ls, c, max) => {
        const text = ls.map((l) => l.replace(/\n/g, '')).join('\n');
        const cursor = c % (text.length + 1);
        const w = fileWindow(text, cursor, max);
        assert.ok(w.text.length <= Math.max(max, 0));
        assert.ok(w.startLine <= lineAt(text, cursor) && lineAt(text, cursor) <= w.endLine);
        if (text.length <= max) assert.equal(w.text, text);
      }),
    );
  });

  it('builds the commit task from a staged diff and cuts a large one at a file boundary', () => {
    const one = 'diff --git a/src/a.ts b/src/a.ts\n--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1 +1 @@\n-a\n+b\n';
    const diff = one + one.replace(/a\.ts/g, 'b.ts') + one.replace(/a\.ts/g, 'c.ts');
    const t = buildCommitTask(diff, { maxContextChars: 10_000 });
    assert.equal(t.input.command, 'commit');
    assert.equal(t.input.language, 'diff');
    assert.deepEqual(t.input.files, ['src/a.ts', 'src/b.ts', 'src/c.ts']);
    assert.equal(t.label, 'staged changes (3 files)');
    const cut = buildCommitTask(diff, { maxContextChars: one.length * 2 + 10 });
    assert.equal(cut.input.context, (one + one.replace(/a\.ts/g, 'b.ts')).replace(/\n$/, ''));
    assert.match(cut.input.prompt, /cut to fit/);
    assert.deepEqual(cut.input.files, ['src/a.ts', 'src/b.ts', 'src/c.ts']);
  });

  it('cleans a commit message reply: fences, labels, trailing spaces, extra blank lines', () => {
    assert.equal(cleanCommitMessage('```\nFix rounding in invoiceTotal\n\nRound to cents.  \n```'), 'Fix rounding in invoiceTotal\n\nRound to cents.');
    assert.equal(cleanCommitMessage('**Commit message:**\n\n```text\nAdd x\n```'), 'Add x');
    assert.equal(cleanCommitMessage('Commit message:\nAdd y\n\n\n\nBody'), 'Add y\n\nBody');
    assert.equal(cleanCommitMessage('Add z'), 'Add z');
  });

  it('derives a context budget from the model window, with a floor', () => {
    assert.equal(contextCharBudget(8192, 4096), (8192 - 4096 - 600) * 3);
    assert.equal(contextCharBudget(2048, 4096), 4000);
  });
});
