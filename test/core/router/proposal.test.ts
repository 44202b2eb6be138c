import assert from 'node:assert/strict';
import { fitCode, locateOriginal, proposeReplacement } from '../../../src/core/router/proposal';

const DOC = 'class A {\n  run() {\n    return 1 + 1;\n  }\n}\n';

describe('router/proposal', () => {
  it('replaces full selected lines, re-indenting code the model returned flush left', () => {
    const original = '  run() {\n    return 1 + 1;\n  }\n';
    const start = DOC.indexOf(original);
    const r = proposeReplacement(DOC, original, { start, end: start + original.length }, 'run() {\n  return 2;\n}', 'selection');
    assert.ok(r.ok);
    assert.equal(r.proposed, 'class A {\n  run() {\n    return 2;\n  }\n}\n');
    assert.deepEqual(r.replacement, { start, end: start + original.length, text: '  run() {\n    return 2;\n  }\n' });
  });

  it('keeps already-indented code as is and matches the selection’s trailing newline', () => {
    const original = '    return 1 + 1;';
    const start = DOC.indexOf(original);
    const r = proposeReplacement(DOC, original, { start, end: start + original.length }, '    return 2;\n\n', 'selection');
    assert.ok(r.ok);
    assert.equal(r.proposed, DOC.replace('    return 1 + 1;', '    return 2;'));
  });

  it('handles a selection that starts after the indentation', () => {
    const original = 'return 1 + 1;\n  }';
    const start = DOC.indexOf(original);
    const flush = proposeReplacement(DOC, original, { start, end: start + original.length }, 'return 3;\n}', 'selection');
    assert.ok(flush.ok);
    assert.equal(flush.proposed, 'class A {\n  run() {\n    return 3;\n  }\n}\n');
    const kept = proposeReplacement(DOC, original, { start, end: start + original.length }, '    return 3;\n  }', 'selection');
    assert.ok(kept.ok);
    assert.equal(kept.proposed, flush.proposed);
    assert.equal(fitCode('    return 3;', 'return 1;', '    '), 'return 3;');
  });

  it('finds the selection again when text before it changed, and refuses when it is gone or ambiguous', () => {
    const original = 'return 1 + 1;';
    const at = { start: DOC.indexOf(original), end: DOC.indexOf(original) + original.length };
    const edited = `// header\n${DOC}`;
    assert.deepEqual(locateOriginal(edited, original, at), { start: at.start + 10, end: at.end + 10 });
    const gone = proposeReplacement(DOC.replace('1 + 1', '5'), original, at, 'return 2;', 'selection');
    assert.deepEqual(gone, { ok: false, reason: 'the selected code changed since the task ran; select it again and rerun' });
    assert.equal(locateOriginal(DOC + DOC, original, { start: 0, end: 3 }), undefined);
  });

  it('replaces the whole document for a file-scoped task and keeps its final newline', () => {
    const r = proposeReplacement(DOC, DOC, { start: 0, end: DOC.length }, 'class B {}', 'file');
    assert.ok(r.ok);
    assert.equal(r.proposed, 'class B {}\n');
    assert.deepEqual(r.replacement, { start: 0, end: DOC.length, text: 'class B {}\n' });
  });

  it('refuses an empty code block', () => {
    assert.deepEqual(proposeReplacement(DOC, DOC, { start: 0, end: 1 }, '  \n', 'file'), { ok: false, reason: 'the code block is empty' });
  });
});
