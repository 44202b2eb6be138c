import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyTask } from '../../../src/core/router/classifier';
import { accuracy, applyLengthRule, bestLengthRule, parseRoutingDataset, type RoutingExample } from '../../../src/core/router/routingDataset';

const load = (name: string): RoutingExample[] =>
  parseRoutingDataset(readFileSync(join(process.cwd(), 'data/routing', name), 'utf8'), name);

describe('routing dataset', () => {
  const train = load('train.jsonl');
  const test = load('test.jsonl');

  it('has at least 300 tasks, both classes in both splits, and no prompt in both splits', () => {
    assert.ok(train.length + test.length >= 300);
    for (const split of [train, test]) for (const l of ['local', 'cloud']) assert.ok(split.filter((e) => e.label === l).length >= 40);
    const trainKeys = new Set(train.map((e) => e.prompt));
    assert.deepEqual(test.filter((e) => trainKeys.has(e.prompt)).map((e) => e.id), []);
    assert.equal(new Set([...train, ...test].map((e) => e.id)).size, train.length + test.length);
  });

  it('breaks the link between length and label', () => {
    const all = [...train, ...test];
    const longLocal = all.filter((e) => e.label === 'local' && e.prompt.length >= 200).length;
    const shortCloud = all.filter((e) => e.label === 'cloud' && e.prompt.length < 60).length;
    assert.ok(longLocal >= 30, `long local tasks: ${longLocal}`);
    assert.ok(shortCloud >= 60, `short cloud tasks: ${shortCloud}`);
    // The best length rule, whichever direction, stays close to a coin flip on held-out data.
    const { rule } = bestLengthRule(train);
    assert.ok(accuracy(test, (t) => applyLengthRule(rule, t)) < 0.65);
  });

  it('the shipped model clearly beats the best length rule on held-out data', () => {
    const { rule } = bestLengthRule(train);
    const model = accuracy(test, (t) => classifyTask(t).route);
    const baseline = accuracy(test, (t) => applyLengthRule(rule, t));
    assert.ok(model - baseline >= 0.15, `model ${model.toFixed(3)} vs length ${baseline.toFixed(3)}`);
  });

  it('rejects malformed dataset lines with the line number', () => {
    assert.throws(() => parseRoutingDataset('{"id":"a","prompt":"x","label":"local"}\n{"id":"b","prompt":"x"}', 'd.jsonl'), /d\.jsonl:2: label/);
    assert.throws(() => parseRoutingDataset('nope', 'd.jsonl'), /d\.jsonl:1: not valid JSON/);
    assert.deepEqual(parseRoutingDataset('\n\n'), []);
  });

  it('finds the best length rule in either direction', () => {
    const ex = (prompt: string, label: 'local' | 'cloud'): RoutingExample => ({ id: prompt, prompt, label });
    const longIsCloud = [ex('a', 'local'), ex('bb', 'local'), ex('cccc', 'cloud'), ex('ddddd', 'cloud')];
    assert.deepEqual(bestLengthRule(longIsCloud), { rule: { threshold: 4, direction: 'long-cloud' }, trainAccuracy: 1 });
    const longIsLocal = longIsCloud.map((e) => ({ ...e, label: e.label === 'local' ? ('cloud' as const) : ('local' as const) }));
    assert.deepEqual(bestLengthRule(longIsLocal), { rule: { threshold: 4, direction: 'long-local' }, trainAccuracy: 1 });
  });
});
