import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fakeSecret, makeRng } from '../../../bench/fixtures/policy/fakeSecrets';
import { createPolicyEngine } from '../../../src/core/policy/engine';
import { PolicyConfigError, type Finding, type TextEdit } from '../../../src/core/policy/types';

const rng = makeRng(11);
const GH = fakeSecret('github-token', rng);
const secretsOnly = createPolicyEngine({ packs: { logging: { enabled: false }, branch: { enabled: false } } });
const loggingOnly = (options?: Record<string, unknown>) =>
  createPolicyEngine({ packs: { security: { enabled: false }, logging: { options } } });

/** Applies non-overlapping edits, last first, like an editor does. */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (l: number, c: number) => lines.slice(0, l).reduce((n, s) => n + s.length + 1, 0) + c;
  const sorted = [...edits].sort((a, b) => offset(b.range.startLine, b.range.startColumn) - offset(a.range.startLine, a.range.startColumn));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.startLine, e.range.startColumn)) + e.newText + out.slice(offset(e.range.endLine, e.range.endColumn));
  return out;
}

describe('policy/engine', () => {
  describe('security pack', () => {
    it('reports an error with a masked message, 0-based range and a stable fingerprint', () => {
      const text = `import x from "y";\n\nconst t = "${GH}";\n`;
      const [f] = secretsOnly.checkText('src/a.ts', text);
      assert.equal(f.ruleId, '400');
      assert.equal(f.severity, 'error');
      assert.equal(f.kind, 'github-token');
      assert.deepEqual(f.range, { startLine: 2, startColumn: 11, endLine: 2, endColumn: 11 + GH.length });
      assert.ok(!f.message.includes(GH) && f.message.includes(`${GH.slice(0, 4)}…`));
      const moved = secretsOnly.checkText('src/a.ts', `\n\n\n${text}`)[0];
      assert.equal(moved.fingerprint, f.fingerprint);
      assert.ok(!f.fingerprint.includes(GH.slice(4, 12)));
    });

    it('honours llmgenie-allow on the same line, on the line above, and by rule id', () => {
      const line = `const t = "${GH}";`;
      assert.equal(secretsOnly.checkText('a.ts', `${line} // llmgenie-allow`).length, 0);
      assert.equal(secretsOnly.checkText('a.ts', `// llmgenie-allow(400)\n${line}`).length, 0);
      assert.equal(secretsOnly.checkText('a.ts', `// llmgenie-allow(001)\n${line}`).length, 1);
      assert.equal(secretsOnly.checkText('a.ts', `// llmgenie-allow\n\n${line}`).length, 1, 'two lines above does not count');
    });

    it('offers an allow-line fix in the file type\'s comment syntax', () => {
      const text = `def f():\n    token = "${GH}"\n`;
      const [f] = secretsOnly.checkText('app.py', text);
      const fix = secretsOnly.allowFix(f, text)!;
      const fixed = applyEdits(text, fix.edits);
      assert.equal(fixed.split('\n')[1], '    # llmgenie-allow(400)');
      assert.equal(secretsOnly.checkText('app.py', fixed).length, 0);
      assert.equal(secretsOnly.allowFix({ ...f, file: 'x.json' }, text), undefined);
    });

    it('hides baselined findings', () => {
      const text = `const t = "${GH}";`;
      const [f] = secretsOnly.checkText('a.ts', text);
      const withBaseline = createPolicyEngine({ packs: { logging: { enabled: false } }, baseline: new Set([f.fingerprint]) });
      assert.deepEqual(withBaseline.checkTextDetailed('a.ts', text), { findings: [], baselined: 1 });
      assert.equal(withBaseline.checkText('b.ts', text).length, 1, 'the same secret in another file is a new finding');
    });

    it('lets the config override severity and rule id, and switch kinds off', () => {
      const e = createPolicyEngine({ packs: { security: { ruleId: 'SEC-1', severity: 'warning', options: { disabledKinds: ['jwt'] } } } });
      const [f] = e.checkText('a.ts', `const t = "${GH}";`);
      assert.equal(f.ruleId, 'SEC-1');
      assert.equal(f.severity, 'warning');
      assert.deepEqual(e.checkText('a.ts', `const t = "${fakeSecret('jwt', rng)}";`), []);
    });

    it('skips lock files by default', () => {
      assert.deepEqual(secretsOnly.checkText('package-lock.json', `"resolved": "x", "token": "${GH}"`), []);
    });
  });

  describe('logging pack', () => {
    it('flags console.log and console.debug in production code as warnings', () => {
      const text = 'export function f(x: number) {\n  console.log("x", x);\n  console.debug(x);\n  console.error(x);\n}\n';
      const found = loggingOnly().checkText('src/f.ts', text);
      assert.deepEqual(found.map((f) => [f.ruleId, f.severity, f.range.startLine]), [['001', 'warning', 1], ['001', 'warning', 2]]);
    });

    it('excludes tests, scripts and benches by default, and commented-out calls', () => {
      const e = loggingOnly();
      for (const p of ['test/a.test.ts', 'src/a.spec.ts', 'scripts/build.js', 'bench/x.bench.ts', 'tests/test_api.py', 'src/__tests__/a.js'])
        assert.deepEqual(e.checkText(p, 'console.log(1);\nprint(1)\n'), [], p);
      assert.deepEqual(e.checkText('src/a.ts', '// console.log(1);\n/*\n * console.log(2)\n */\nconst u = "http://x"; // console.log(3)\n'), []);
      assert.deepEqual(e.checkText('src/a.ts', 'logger.console.log(1); myconsole.log(2); window.print();'), []);
    });

    it('removes a whole statement, including one spanning lines', () => {
      const text = 'function f() {\n  console.log(\n    "a(b)", 1\n  );\n  return 1;\n}\n';
      const [f] = loggingOnly().checkText('src/f.js', text);
      assert.equal(f.fix!.title, 'Remove console.log()');
      assert.equal(applyEdits(text, f.fix!.edits), 'function f() {\n  return 1;\n}\n');
    });

    it('replaces the call with the configured logger', () => {
      const text = 'if (ok) console.log("done", n);\n';
      const [f] = loggingOnly({ replacement: 'logger.info' }).checkText('src/f.ts', text);
      assert.equal(applyEdits(text, f.fix!.edits), 'if (ok) logger.info("done", n);\n');
      assert.ok(f.message.includes('logger.info'));
    });

    it('offers no removal when the call is part of an expression', () => {
      const [f] = loggingOnly().checkText('src/f.ts', 'p.then(() => console.log("x"));\n');
      assert.equal(f.fix, undefined);
    });

    it('handles Python print, keeping a block non-empty', () => {
      const text = 'def f(x):\n    if x:\n        print(x)\n    return x\n';
      const [f] = loggingOnly().checkText('app/main.py', text);
      assert.equal(f.range.startLine, 2);
      assert.equal(applyEdits(text, f.fix!.edits), 'def f(x):\n    if x:\n        pass\n    return x\n');
      const text2 = 'def f(x):\n    print(x)\n    return x\n';
      const [g] = loggingOnly().checkText('app/main.py', text2);
      assert.equal(applyEdits(text2, g.fix!.edits), 'def f(x):\n    return x\n');
      assert.deepEqual(loggingOnly().checkText('app/main.py', 'blueprint(x)\nself.print(x)\n# print(x)\n'), []);
    });

    it('uses the language id for files without a telling extension', () => {
      assert.equal(loggingOnly().checkText('src/Untitled-1', 'console.log(1)', 'typescript').length, 0, 'globs still decide');
      const e = createPolicyEngine({ packs: { security: { enabled: false }, logging: { globs: ['**'] } } });
      assert.equal(e.checkText('src/Untitled-1', 'console.log(1)', 'typescript').length, 1);
    });
  });

  describe('pattern rules', () => {
    const engine = createPolicyEngine({
      packs: { security: { enabled: false }, logging: { enabled: false } },
      rules: [
        { id: 'R-todo', name: 'No TODO', severity: 'info', enforce: { patterns: [{ regex: 'TODO\\(\\w+\\)', message: 'Open a ticket instead' }], globs: ['src/**'], exclude: ['src/vendor/**'] } },
        { id: 'R-imports', name: 'Approved modules', enforce: { forbiddenImports: ['lodash', 'node:child_process', '@internal/*'] } },
      ],
    });

    it('matches regexes per line within the rule globs', () => {
      const found = engine.checkText('src/a.ts', 'ok\n// TODO(bob) x TODO(amy)\n');
      assert.deepEqual(found.map((f) => [f.ruleId, f.severity, f.range.startLine, f.range.startColumn, f.message]), [
        ['R-todo', 'info', 1, 3, 'Open a ticket instead'],
        ['R-todo', 'info', 1, 15, 'Open a ticket instead'],
      ]);
      assert.deepEqual(engine.checkText('src/vendor/a.ts', 'TODO(x)'), []);
      assert.deepEqual(engine.checkText('lib/a.ts', 'TODO(x)'), []);
    });

    it('finds forbidden imports in JS/TS and Python, including subpaths and globs', () => {
      const ts = 'import _ from "lodash";\nimport fp from "lodash/fp";\nimport type { X } from \'@internal/core\';\nconst cp = require("node:child_process");\nconst ok = await import("lodash-es");\nexport { a } from "lodash";\n';
      const found = engine.checkText('src/a.ts', ts);
      assert.deepEqual(found.map((f) => f.range.startLine), [0, 1, 2, 3, 5]);
      assert.ok(found[0].message.includes('"lodash"'));
      const py = createPolicyEngine({ packs: { security: { enabled: false } }, rules: [{ id: 'P', name: 'No pickle', enforce: { forbiddenImports: ['pickle', 'os.*'] } }] });
      assert.deepEqual(py.checkText('a.py', 'import json, pickle\nfrom os.path import join\nimport osx\n').map((f) => f.range), [
        { startLine: 0, startColumn: 13, endLine: 0, endColumn: 19 },
        { startLine: 1, startColumn: 5, endLine: 1, endColumn: 12 },
      ]);
    });

    it('lists every active rule for reports', () => {
      assert.deepEqual(engine.rules.map((r) => r.id), ['009', 'R-todo', 'R-imports']);
    });
  });

  it('rejects unusable configuration with a PolicyConfigError', () => {
    assert.throws(() => createPolicyEngine({ rules: [{ id: 'x', name: 'x', enforce: { patterns: [{ regex: '(' }] } }] }), PolicyConfigError);
    assert.throws(() => createPolicyEngine({ packs: { logging: { options: { replacement: 'not valid()' } } } }), PolicyConfigError);
    assert.throws(() => createPolicyEngine({ packs: { branch: { options: { pattern: '[' } } } }), PolicyConfigError);
    assert.throws(() => createPolicyEngine({ packs: { security: { options: { nope: 1 } } } }), PolicyConfigError);
  });

  it('checkText never throws and returns in-range findings on arbitrary input', () => {
    const engine = createPolicyEngine({ rules: [{ id: 'r', name: 'r', enforce: { patterns: [{ regex: 'a*' }], forbiddenImports: ['x'] } }] });
    const fragments = fc.constantFrom('console.log(', 'print(', ')', '"', "'", '`', '\n', 'import ', 'require(', 'password = "', 'sk-ant-', '-----BEGIN PRIVATE KEY-----', '://', 'llmgenie-allow(', 'eyJ', '\\', '$', ' ');
    const texts = fc.oneof(fc.string({ maxLength: 300 }), fc.array(fc.oneof(fragments, fc.string({ maxLength: 8 })), { maxLength: 60 }).map((a) => a.join('')));
    fc.assert(
      fc.property(texts, fc.constantFrom('a.ts', 'b.py', '.env', 'c.json', 'd'), (text, file) => {
        const lines = text.split('\n');
        const found: Finding[] = engine.checkText(file, text);
        for (const f of found) {
          assert.ok(f.range.startLine < lines.length && f.range.endLine < lines.length);
          assert.ok(f.range.startColumn <= lines[f.range.startLine].length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
