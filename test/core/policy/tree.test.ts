import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fakeSecret, makeRng } from '../../../bench/fixtures/policy/fakeSecrets';
import { baselineFingerprints, createBaseline, parseBaseline, serializeBaseline, BaselineError } from '../../../src/core/policy/baseline';
import { createPolicyEngine } from '../../../src/core/policy/engine';
import { MissingPathError } from '../../../src/core/policy/tree';
import { MemoryFileSystem } from '../../support/memoryFileSystem';

const rng = makeRng(5);
const KEY = fakeSecret('anthropic-api-key', rng);
const NPM = fakeSecret('npm-token', rng);

function repo(): MemoryFileSystem {
  return new MemoryFileSystem({
    '/r/.gitignore': 'build/\n*.log\n',
    '/r/src/app.ts': `export const key = "${KEY}";\nconsole.log(key);\n`,
    '/r/src/clean.ts': 'export const x = 1;\n',
    '/r/build/out.js': `const k = "${KEY}";`,
    '/r/debug.log': `token=${NPM}`,
    '/r/pkg/.gitignore': 'secret.env\n',
    '/r/pkg/secret.env': `NPM_TOKEN=${NPM}`,
    '/r/pkg/.npmrc': `//registry.npmjs.org/:_authToken=${NPM}\n`,
    '/r/node_modules/dep/index.js': `const k = "${KEY}";`,
    '/r/assets/logo.png': `\u0089PNG\u0000\u0000${KEY}`,
    '/r/data/huge.json': `{"k": "${KEY}", "pad": "${'x'.repeat(2000)}"}`,
  });
}

describe('policy/checkTree', () => {
  const engine = createPolicyEngine({ maxFileBytes: 1000 });

  it('walks the tree respecting nested .gitignore files and default skipped folders', async () => {
    const r = await engine.checkTree(repo(), '/r');
    assert.deepEqual(
      r.findings.map((f) => `${f.file}:${f.ruleId}`),
      ['pkg/.npmrc:400', 'src/app.ts:400', 'src/app.ts:001'],
    );
    assert.equal(r.files, 5);
  });

  it('skips binary and huge files with a note', async () => {
    const r = await engine.checkTree(repo(), '/r');
    assert.deepEqual(r.skipped.map((s) => s.file), ['assets/logo.png', 'data/huge.json']);
    assert.equal(r.skipped[0].reason, 'binary');
    assert.match(r.skipped[1].reason, /^too large/);
  });

  it('checks only the given paths; a file named explicitly is checked even if ignored', async () => {
    const fs = repo();
    const r = await engine.checkTree(fs, '/r', ['/r/src', '/r/build/out.js']);
    assert.deepEqual([...new Set(r.findings.map((f) => f.file))], ['build/out.js', 'src/app.ts']);
    const pkg = await engine.checkTree(fs, '/r', ['pkg']);
    assert.deepEqual(pkg.findings.map((f) => f.file), ['pkg/.npmrc']);
    await assert.rejects(engine.checkTree(fs, '/r', ['/r/nope']), MissingPathError);
  });

  it('reports progress per file', async () => {
    const seen: number[] = [];
    await engine.checkTree(repo(), '/r', undefined, { onProgress: (n) => seen.push(n), concurrency: 2 });
    assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('policy/baseline', () => {
  it('round-trips accepted findings without ever storing the secret', async () => {
    const engine = createPolicyEngine();
    const r = await engine.checkTree(repo(), '/r');
    const text = serializeBaseline(createBaseline(r.findings));
    assert.ok(!text.includes(KEY) && !text.includes(NPM) && !text.includes(KEY.slice(10, 30)));
    const b = parseBaseline(text);
    assert.equal(b.findings.length, 4, "huge.json is under the default 1 MB limit");
    const again = await createPolicyEngine({ baseline: baselineFingerprints(b) }).checkTree(repo(), '/r');
    assert.deepEqual(again.findings, []);
    assert.equal(again.baselined, 4);
  });

  it('keeps notes for findings that remain', () => {
    const f = { ruleId: '400', ruleName: 'x', severity: 'error' as const, file: 'a', range: { startLine: 0, startColumn: 0, endLine: 0, endColumn: 1 }, message: 'm', fingerprint: 'ab'.repeat(16) };
    const prev = { version: 1 as const, findings: [{ fingerprint: f.fingerprint, ruleId: '400', file: 'a', note: 'test fixture' }] };
    assert.equal(createBaseline([f, f], prev).findings[0].note, 'test fixture');
    assert.equal(createBaseline([f, f]).findings.length, 1);
  });

  it('rejects malformed baseline files with a typed error', () => {
    for (const bad of ['', '{', '[]', '{"version":2,"findings":[]}', '{"version":1,"findings":[{"fingerprint":"zz","ruleId":"1","file":"a"}]}'])
      assert.throws(() => parseBaseline(bad), BaselineError, bad);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        try {
          parseBaseline(text);
        } catch (e) {
          assert.ok(e instanceof BaselineError);
        }
      }),
    );
  });
});
