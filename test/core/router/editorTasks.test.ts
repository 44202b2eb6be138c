import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildCommitTask, buildEditorTask, cleanCommitMessage } from '../../../src/core/router/editorTasks';
import { contextChars, fileWindow, fitTaskContext, lineAt, modelBudget, type ModelBudget } from '../../../src/core/router/budget';
import { decideRoute } from '../../../src/core/router/classifier';

const FILE = "import { logger } from './logger';\n\nexport function total(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}\n";
const src = (start: number, end: number, text = FILE) => ({ fileName: 'src/total.ts', languageId: 'typescript', text, selection: { start, end } });

describe('router/editorTasks', () => {
  it('sends the selection with its line range, file name and language', () => {
    const start = FILE.indexOf('export');
    const t = buildEditorTask('explain', src(start, FILE.length));
    assert.equal(t.scope, 'selection');
    assert.equal(t.label, 'src/total.ts:3–5');
    assert.equal(t.input.prompt, 'Explain this code from src/total.ts (lines 3–5).');
    assert.equal(t.input.context, FILE.slice(start));
    assert.equal(t.input.fileName, 'src/total.ts');
    assert.equal(t.input.language, 'typescript');
    assert.equal(t.input.command, 'explain');
    assert.deepEqual(t.input.files, ['src/total.ts']);
    assert.equal(t.input.instruction, '', 'no instruction of the user: the route is decided on the command and the code');
    assert.equal(t.input.contextScope, 'selection');
    assert.equal(t.input.contextFirstLine, 3);
  });

  it('builds the whole task, uncut, however large the file (the router cuts it for the model that reads it)', () => {
    const text = 'x\n'.repeat(200_000);
    const t = buildEditorTask('review', src(0, 0, text));
    assert.equal(t.input.context, text);
    assert.equal(t.label, 'src/total.ts (whole file)');
  });

  it('uses the whole file when nothing (or only whitespace) is selected', () => {
    const blank = FILE.indexOf('\n\n') + 1;
    for (const t of [buildEditorTask('review', src(0, 0)), buildEditorTask('review', src(blank, blank + 1))]) {
      assert.equal(t.scope, 'file');
      assert.equal(t.label, 'src/total.ts (whole file)');
      assert.equal(t.input.prompt, 'Review the file src/total.ts.');
      assert.equal(t.input.context, FILE);
    }
  });

  it('puts the question of Ask… and the instruction of Refactor into the prompt', () => {
    const ask = buildEditorTask('ask', src(0, 10), { question: '  why is this slow? ' });
    assert.equal(ask.input.prompt, 'why is this slow?\n\n(About this code from src/total.ts (line 1).)');
    const refactor = buildEditorTask('refactor', src(0, 0), { question: 'use a for loop' });
    assert.match(refactor.input.prompt, /^Refactor the file src\/total\.ts\. Keep its behaviour and public interface\. Specifically: use a for loop$/);
    assert.equal(buildEditorTask('tests', src(0, 0)).input.prompt, 'Write unit tests for the file src/total.ts.');
  });

  it('keeps editor prompts routed by their content, not by the template (Explain local, Review cloud by default)', () => {
    const start = FILE.indexOf('export');
    const explain = buildEditorTask('explain', src(start, FILE.length)).input;
    assert.equal(decideRoute({ prompt: explain.prompt, context: explain.context, command: 'explain' }, 'auto').route, 'local');
    const review = buildEditorTask('review', src(start, FILE.length)).input;
    assert.equal(decideRoute({ prompt: review.prompt, context: review.context, command: 'review' }, 'auto', { review: 'cloud' }).route, 'cloud');
  });

  /** A budget whose context room is exactly `chars` for this prompt (no system prompt). */
  const roomFor = (chars: number, prompt: string): ModelBudget => {
    for (let inputTokens = 1; ; inputTokens++) {
      const b = { window: inputTokens, reserve: 0, inputTokens };
      if (contextChars(b, '', prompt) >= chars) return b;
    }
  };

  it('fitTaskContext cuts a large file to whole lines around the cursor and says which lines were sent', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`);
    const text = lines.join('\n');
    const cursor = text.indexOf('line 500');
    const t = buildEditorTask('explain', { ...src(cursor, cursor, text), cursor });
    const budget = roomFor(1500, t.input.prompt);
    const max = contextChars(budget, '', t.input.prompt);
    const fitted = fitTaskContext(t.input, budget);
    const context = fitted.task.context!;
    assert.ok(context.length <= max && context.includes('line 500'));
    const first = Number(/^line (\d+)/.exec(context)![1]);
    const last = Number(/line (\d+)$/.exec(context)![1]);
    assert.ok(first < 500 && last > 500 && 500 - first <= last - 500 + 2, `${first}..${last}`);
    assert.equal(fitted.truncated, `file too large: sent lines ${first}–${last} of 1000 (${context.length} of ${text.length} characters)`);
    assert.equal(fitted.task.prompt, `Explain the file src/total.ts. (Only lines ${first}–${last} of the file fit; the rest is not shown.)`);
    assert.equal(t.input.context, text, 'the whole task is kept for another model');
  });

  it('fitTaskContext leaves a task that fits alone, and cuts a large selection at a line boundary', () => {
    const small = buildEditorTask('explain', src(0, FILE.length));
    assert.equal(fitTaskContext(small.input, modelBudget(8192, 4096)).task, small.input);
    const text = Array.from({ length: 2000 }, (_, i) => `l${i}`).join('\n');
    const t = buildEditorTask('explain', src(0, text.length, text));
    const fitted = fitTaskContext(t.input, roomFor(1000, t.input.prompt));
    assert.ok(fitted.task.context!.length <= 1000 && !fitted.task.context!.endsWith('\n'));
    assert.match(fitted.truncated!, /^selection cut to its first \d+ lines \(of 2000\)$/);
    assert.match(fitted.task.prompt, /\(Only the first \d+ lines of the selection, lines 1–\d+, fit; the selection is longer\.\)$/);
  });

  it('fitTaskContext gives the same task a window-sized context for Claude and a small one for the local model', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `const v${i} = ${i};`).join('\n');
    const t = buildEditorTask('review', src(0, 0, text));
    const local = fitTaskContext(t.input, modelBudget(8192, 4096));
    const cloud = fitTaskContext(t.input, modelBudget(200_000, 4096));
    assert.ok(local.truncated && local.task.context!.length < 20_000);
    assert.equal(cloud.truncated, undefined);
    assert.equal(cloud.task.context, text);
  });

  it('fitTaskContext never exceeds the room it computes, keeps a piece of the original, and leaves a fitting task alone', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 80 }), { minLength: 1, maxLength: 200 }),
        fc.constantFrom('selection', 'file', 'diff'),
        fc.nat(),
        fc.integer({ min: 300, max: 6000 }),
        (ls, scope, f, tokens) => {
          const context = ls.map((l) => l.replace(/\n/g, '')).join('\n');
          const task = { prompt: 'Explain it.', context, contextScope: scope as 'selection' | 'file' | 'diff', focus: f % (context.length + 1) };
          const budget = { window: tokens, reserve: 0, inputTokens: tokens };
          const room = contextChars(budget, '', task.prompt);
          const fitted = fitTaskContext(task, budget);
          if (context.length <= room) assert.equal(fitted.task, task);
          else {
            assert.ok(fitted.task.context!.length <= room && context.includes(fitted.task.context!));
            assert.ok(fitted.truncated && fitted.task.prompt.startsWith(task.prompt));
          }
        },
      ),
    );
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
    const t = buildCommitTask(diff);
    assert.equal(t.input.command, 'commit');
    assert.equal(t.input.context, diff);
    assert.equal(t.input.language, 'diff');
    assert.deepEqual(t.input.files, ['src/a.ts', 'src/b.ts', 'src/c.ts']);
    assert.equal(t.label, 'staged changes (3 files)');
    const big = Array.from({ length: 30 }, (_, i) => one.replace(/a\.ts/g, `f${i}.ts`)).join('');
    const task = buildCommitTask(big).input;
    const cut = fitTaskContext(task, roomFor(1000, task.prompt));
    assert.ok(cut.task.context!.endsWith('+b') && cut.task.context!.length <= 1000, 'cut at a file boundary');
    assert.match(cut.task.prompt, /cut to fit/);
    assert.deepEqual(task.files?.length, 30);
  });

  it('cleans a commit message reply: fences, labels, trailing spaces, extra blank lines', () => {
    assert.equal(cleanCommitMessage('```\nFix rounding in invoiceTotal\n\nRound to cents.  \n```'), 'Fix rounding in invoiceTotal\n\nRound to cents.');
    assert.equal(cleanCommitMessage('**Commit message:**\n\n```text\nAdd x\n```'), 'Add x');
    assert.equal(cleanCommitMessage('Commit message:\nAdd y\n\n\n\nBody'), 'Add y\n\nBody');
    assert.equal(cleanCommitMessage('Add z'), 'Add z');
  });
});
