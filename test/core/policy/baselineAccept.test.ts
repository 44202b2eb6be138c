import assert from 'node:assert/strict';
import { fakeSecret, makeRng } from '../../../bench/fixtures/policy/fakeSecrets';
import { baselineFingerprints, createBaseline, parseBaseline, serializeBaseline } from '../../../src/core/policy/baseline';
import { addToBaseline } from '../../../src/core/policy/baselineAccept';
import { createPolicyEngine } from '../../../src/core/policy/engine';

describe('policy/addToBaseline', () => {
  const rng = makeRng(11);
  const a = fakeSecret('npm-token', rng);
  const b = fakeSecret('github-token', rng);
  const engine = createPolicyEngine();
  const [fa] = engine.checkText('src/a.ts', `const t = "${a}";\n`);
  const [fb] = engine.checkText('src/b.ts', `const t = "${b}";\n`);

  it('keeps the accepted entries and their notes, adds the new one once, and hides it from the engine', () => {
    const previous = createBaseline([fb]);
    previous.findings[0].note = 'test fixture';
    const { baseline, added } = addToBaseline(previous, [fa, fa]);
    assert.equal(added, 1);
    assert.deepEqual(baseline.findings.map((f) => [f.file, f.note]), [['src/a.ts', undefined], ['src/b.ts', 'test fixture']]);
    const again = addToBaseline(baseline, [fa]);
    assert.equal(again.added, 0);
    assert.deepEqual(again.baseline, baseline);
    const text = serializeBaseline(baseline);
    assert.ok(!text.includes(a) && !text.includes(b), 'the file never holds the secret');
    const quiet = createPolicyEngine({ baseline: baselineFingerprints(parseBaseline(text)) });
    assert.deepEqual(quiet.checkText('src/a.ts', `const t = "${a}";\n`), []);
  });

  it('starts a baseline when there is none', () => {
    const { baseline, added } = addToBaseline(undefined, [fb]);
    assert.equal(added, 1);
    assert.deepEqual(parseBaseline(serializeBaseline(baseline)), baseline);
  });
});
