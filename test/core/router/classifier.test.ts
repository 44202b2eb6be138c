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

  it('honours the threshold option and reports it', () => {
    const task = { prompt: 'why does this deadlock?' };
    assert.equal(classifyTask(task, { threshold: 1 }).route, 'local');
    assert.equal(classifyTask({ prompt: 'fix the typo' }, { threshold: 0 }).route, 'cloud');
    assert.equal(classifyTask(task).threshold, routingModel.threshold);
    assert.equal(classifyTask(task, { threshold: 0.7 }).threshold, 0.7);
  });

  it('puts a local score just below the threshold in the uncertain band, and only there', () => {
    const model = loadRoutingModel(routingModel);
    const width = model.threshold - (model.uncertainFrom ?? model.threshold);
    assert.ok(width > 0, 'the shipped model has an uncertain band');
    // A model whose bias alone decides the score: probe each side of the band edges.
    const probe = (p: number) => classifyTask({ prompt: '' }, { model: { ...model, weights: model.weights.map(() => 0), bias: Math.log(p / (1 - p)) } });
    assert.equal(probe(model.threshold + 0.01).route, 'cloud');
    assert.equal(probe(model.threshold + 0.01).band, 'confident');
    assert.deepEqual([probe(model.threshold - 0.005).route, probe(model.threshold - 0.005).band], ['local', 'uncertain']);
    assert.equal(probe(Math.max(0.001, model.threshold - width - 0.01)).band, 'confident');
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
