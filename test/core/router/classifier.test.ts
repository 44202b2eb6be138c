import assert from 'node:assert/strict';
import fc from 'fast-check';
import { classifyTask, decideRoute, loadRoutingModel } from '../../../src/core/router/classifier';
import { routingModel } from '../../../src/core/router/routingModel';

describe('classifyTask', () => {
  it('is deterministic and returns a probability with reasons', () => {
    const task = { prompt: 'why does this deadlock when two requests hit the cache at once?', command: 'ask' };
    const a = classifyTask(task);
    const b = classifyTask({ ...task });
    assert.deepEqual(a, b);
    assert.ok(a.score >= 0 && a.score <= 1);
    assert.ok(a.reasons.length >= 1 && a.reasons.length <= 3);
  });

  it('sends a terse hard question to the cloud, naming concurrency', () => {
    const d = classifyTask({ prompt: 'why does this deadlock?' });
    assert.equal(d.route, 'cloud');
    assert.ok(d.reasons.includes('concurrency'), d.reasons.join(', '));
  });

  it('keeps a long, detailed rename local (length trap)', () => {
    const prompt =
      'Please rename the variable `usrCnt` to `userCount` in this function. It is used in three places: the loop ' +
      'header, the return statement and the debug log at the top. Keep everything else exactly as it is, do not ' +
      'reformat the file, do not touch the comments or the blank lines, and make sure the tests still compile ' +
      'afterwards, because the test file imports this function (it never reads the variable itself). Thanks!';
    assert.ok(prompt.length > 350);
    const d = classifyTask({ prompt, command: 'refactor' });
    assert.equal(d.route, 'local');
    assert.ok(d.reasons.includes('mechanical rename'), d.reasons.join(', '));
  });

  it('understands Russian cues', () => {
    assert.equal(classifyTask({ prompt: 'почему здесь гонка данных между воркерами?' }).route, 'cloud');
    assert.equal(classifyTask({ prompt: 'исправь опечатку в сообщении об ошибке' }).route, 'local');
  });

  it('honours the threshold option', () => {
    const task = { prompt: 'why does this deadlock?' };
    assert.equal(classifyTask(task, { threshold: 1 }).route, 'local');
    assert.equal(classifyTask({ prompt: 'fix the typo' }, { threshold: 0 }).route, 'cloud');
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), fc.option(fc.string({ maxLength: 3000 })), fc.option(fc.string()), (prompt, context, command) => {
        const d = classifyTask({ prompt, context: context ?? undefined, command: command ?? undefined });
        assert.ok(d.route === 'local' || d.route === 'cloud');
        assert.ok(Number.isFinite(d.score) && d.score >= 0 && d.score <= 1);
        assert.ok(d.reasons.length > 0);
      }),
      { numRuns: 300 },
    );
    // Callers outside TypeScript (JSON, MCP) can pass anything.
    assert.doesNotThrow(() => classifyTask({ prompt: 42 as unknown as string, context: null as unknown as string }));
  });
});

describe('decideRoute', () => {
  const hard = { prompt: 'redesign the plugin architecture so modules stop sharing mutable state', command: 'ask' };
  const easy = { prompt: 'fix the typo in this string', command: 'refactor' };

  it('auto mode is the classifier', () => {
    assert.deepEqual(decideRoute(hard, 'auto'), classifyTask(hard));
  });

  it('forced modes win and say so', () => {
    const d = decideRoute(hard, 'local', { ask: 'cloud' });
    assert.equal(d.route, 'local');
    assert.equal(d.reasons[0], 'mode: Local (forced)');
    assert.equal(d.score, classifyTask(hard).score);
    const c = decideRoute(easy, 'cloud');
    assert.equal(c.route, 'cloud');
    assert.equal(c.reasons[0], 'mode: Cloud (forced)');
    assert.match(c.reasons[1]!, /classifier alone: local/);
  });

  it('applies per-command overrides in auto mode, case-insensitively', () => {
    const d = decideRoute({ ...easy, command: 'Review' }, 'auto', { review: 'cloud' });
    assert.equal(d.route, 'cloud');
    assert.match(d.reasons[0]!, /override: review/);
    assert.equal(decideRoute(easy, 'auto', { refactor: 'auto' }).route, classifyTask(easy).route);
    assert.equal(decideRoute(hard, 'auto', { ask: 'local' }).route, 'local');
    // Inherited keys are not overrides.
    assert.deepEqual(decideRoute({ ...easy, command: 'toString' }, 'auto', {}), classifyTask({ ...easy, command: 'toString' }));
  });
});

describe('routing model', () => {
  it('matches the feature extractor', () => {
    assert.doesNotThrow(() => loadRoutingModel(routingModel));
    assert.throws(() => loadRoutingModel({ ...routingModel, features: [...routingModel.features].reverse() }), /retrain/);
    assert.throws(() => loadRoutingModel({ ...routingModel, bias: 'x' }));
  });
});

describe('shipped routing model', () => {
  it('was trained from the current features and training data (else: npx tsx scripts/train-router.ts)', async () => {
    const { routingModelFingerprint } = await import('../../../scripts/routerFingerprint');
    assert.equal(loadRoutingModel(routingModel).training?.fingerprint, routingModelFingerprint(process.cwd()));
  });
});
