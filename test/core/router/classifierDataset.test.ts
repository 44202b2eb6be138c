import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildExamples, parseTaskFile } from '../../../data/routing/build';
import { classifyTask } from '../../../src/core/router/classifier';
import { routingModel } from '../../../src/core/router/routingModel';
import {
  accuracy,
  applyLengthRule,
  auc,
  bestLengthRule,
  chooseThresholds,
  commandOnlyRule,
  keywordRule,
  parseRoutingDataset,
  tradeOffCurve,
  type RoutingExample,
} from '../../../src/core/router/routingDataset';

const load = (name: string): RoutingExample[] =>
  parseRoutingDataset(readFileSync(join(process.cwd(), 'data/routing', name), 'utf8'), name);

describe('routing dataset', () => {
  const train = load('train.jsonl');
  const test = load('test.jsonl');
  const contextOf = (e: RoutingExample) => e.id.replace(/-\d+$/, '');

  it('has at least 600 tasks, both labels for every command in both splits, and no code context in both splits', () => {
    assert.ok(train.length + test.length >= 600, String(train.length + test.length));
    for (const split of [train, test])
      for (const command of ['explain', 'refactor', 'tests', 'review', 'ask', 'commit', undefined])
        for (const label of ['local', 'cloud']) assert.ok(split.some((e) => e.command === command && e.label === label), `${command ?? 'none'} ${label}`);
    const trainContexts = new Set(train.filter((e) => e.context).map((e) => e.context));
    assert.deepEqual(test.filter((e) => e.context && trainContexts.has(e.context)).map((e) => e.id), []);
    assert.equal(new Set([...train, ...test].map((e) => e.id)).size, train.length + test.length);
    assert.ok(new Set(train.map(contextOf)).size >= 60);
  });

  it('is built from the task files exactly as the editor builds tasks', () => {
    const file = 'source/test.tasks';
    const rebuilt = buildExamples(parseTaskFile(readFileSync(join(process.cwd(), 'data/routing', file), 'utf8'), file), file);
    assert.deepEqual(rebuilt, test, 'test.jsonl is stale: run npx tsx data/routing/build.ts');
    const explain = test.find((e) => e.command === 'explain')!;
    assert.match(explain.prompt, /^Explain (?:this code from|the file) /);
  });

  it('the shipped model is better than every baseline on held-out data and keeps hard tasks off the local model', () => {
    const { rule } = bestLengthRule(train);
    const baselines = [accuracy(test, (t) => applyLengthRule(rule, t)), accuracy(test, commandOnlyRule(train).predict), accuracy(test, keywordRule(train).predict)];
    const model = accuracy(test, (t) => classifyTask(t).route);
    assert.ok(model > Math.max(...baselines), `model ${model.toFixed(3)} vs ${baselines.map((b) => b.toFixed(3)).join(', ')}`);
    const hard = test.filter((e) => e.label === 'cloud');
    assert.ok(hard.filter((e) => classifyTask(e).route === 'local').length / hard.length <= 0.05);
  });

  it('rejects malformed dataset lines with the line number', () => {
    assert.throws(() => parseRoutingDataset('{"id":"a","prompt":"x","label":"local"}\n{"id":"b","prompt":"x"}', 'd.jsonl'), /d\.jsonl:2: label/);
    assert.throws(() => parseRoutingDataset('nope', 'd.jsonl'), /d\.jsonl:1: not valid JSON/);
    assert.deepEqual(parseRoutingDataset('\n\n'), []);
    assert.throws(() => parseTaskFile('=== x | go | a.go\n%% explain maybe\n', 't.tasks'), /t\.tasks:2: expected/);
  });

  it('finds the best length rule in either direction, on prompt plus context', () => {
    const ex = (prompt: string, label: 'local' | 'cloud'): RoutingExample => ({ id: prompt, prompt, label });
    const longIsCloud = [ex('a', 'local'), ex('bb', 'local'), ex('cccc', 'cloud'), ex('ddddd', 'cloud')];
    assert.deepEqual(bestLengthRule(longIsCloud), { rule: { threshold: 4, direction: 'long-cloud' }, trainAccuracy: 1 });
    const longIsLocal = longIsCloud.map((e) => ({ ...e, label: e.label === 'local' ? ('cloud' as const) : ('local' as const) }));
    assert.deepEqual(bestLengthRule(longIsLocal), { rule: { threshold: 4, direction: 'long-local' }, trainAccuracy: 1 });
    assert.equal(applyLengthRule({ threshold: 4, direction: 'long-cloud' }, { prompt: 'a', context: 'bcd' }), 'cloud');
  });

  it('computes AUC, the trade-off curve and the cost-sensitive thresholds', () => {
    assert.equal(auc([0.9, 0.8, 0.2, 0.1], ['cloud', 'cloud', 'local', 'local']), 1);
    assert.equal(auc([0.5, 0.5], ['cloud', 'local']), 0.5);
    const scores = [0.05, 0.1, 0.3, 0.35, 0.6, 0.9];
    const labels = ['local', 'local', 'local', 'cloud', 'cloud', 'cloud'] as const;
    const [p] = tradeOffCurve(scores, labels, [0.5]);
    assert.deepEqual(p, { threshold: 0.5, hardLocal: 1 / 3, localShare: 4 / 6, accuracy: 5 / 6 });
    const cut = chooseThresholds(scores, labels);
    assert.equal(cut.threshold, 0.35, 'the highest threshold that sends no hard task local');
    assert.ok(cut.uncertainFrom <= cut.threshold);
    // One of 25 hard tasks (4 %) may go local, but letting it costs accuracy: the most accurate allowed cut wins.
    const hardScores = [0.1, 0.2, 0.3, ...Array.from({ length: 24 }, () => 0.9)];
    const hardLabels = ['local', 'local', ...Array.from({ length: 25 }, () => 'cloud' as const)] as ('local' | 'cloud')[];
    const strict = chooseThresholds(hardScores, hardLabels);
    assert.equal(strict.threshold, 0.3, 'most accurate within the limit, the higher of equals');
    assert.equal(strict.accuracy, 1);
    assert.equal(strict.hardLocal, 0);
    assert.equal(routingModel.threshold < 0.5, true, 'a missed hard task costs more than a cent, so the default leans to Claude');
  });
});
