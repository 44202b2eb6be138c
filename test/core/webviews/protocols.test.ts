import assert from 'node:assert/strict';
import { z as classic } from 'zod';
import * as analytics from '../../../src/webviews/analytics/protocol';
import * as handoff from '../../../src/webviews/handoff/protocol';
import * as lessons from '../../../src/webviews/lessons/protocol';
import { parseMessage } from '../../../src/webviews/protocol';
import * as results from '../../../src/webviews/results/protocol';

// The view protocols are zod/mini (they ship in the webview bundles). These pin the limits they enforce at their
// edges, so a rewrite of a schema cannot loosen or tighten one unnoticed.
const accepts = (schema: Parameters<typeof parseMessage>[0], value: unknown) => parseMessage(schema, value).ok;

describe('webview protocols', () => {
  it('parseMessage takes mini and classic schemas and names the first bad path', () => {
    assert.deepEqual(parseMessage(handoff.webviewMessageSchema, { type: 'goToLine', line: 3, extra: 1 }), { ok: true, message: { type: 'goToLine', line: 3 } });
    const error = (raw: unknown) => {
      const r = parseMessage(handoff.webviewMessageSchema, raw);
      return r.ok ? undefined : r.error;
    };
    assert.match(error({ type: 'goToLine', line: 0 }) ?? '', /^line: /);
    assert.match(error('x') ?? '', /^message: /);
    assert.deepEqual(parseMessage(classic.object({ n: classic.number() }), { n: 1 }), { ok: true, message: { n: 1 } });
  });

  it('handoff: lines are positive integers, the score stays in 0..100, names are non-empty', () => {
    const m = handoff.webviewMessageSchema;
    assert.deepEqual([1, 0, 1.5, -1, 2 ** 53].map((line) => accepts(m, { type: 'goToLine', line })), [true, false, false, false, false]);
    assert.equal(accepts(m, { type: 'applyFix', key: '' }), false);
    assert.equal(accepts(m, { type: 'openFile', path: 'a' }), true);
    assert.equal(accepts(handoff.persistedStateSchema, { uri: '' }), false);
    const state = (line: unknown) => ({ status: 'error', file: 'f', message: 'm', line });
    assert.deepEqual([2, 0, undefined].map((line) => accepts(handoff.panelStateSchema, state(line))), [true, false, true]);
  });

  it('lessons: ids, texts and tag lists are bounded; persisted state fills its defaults', () => {
    const m = lessons.webviewMessageSchema;
    assert.deepEqual(['', 'a', 'a'.repeat(500), 'a'.repeat(501)].map((id) => accepts(m, { type: 'open', id })), [false, true, true, false]);
    const query = (tags: string[], q = '') => ({ type: 'query', seq: 1, query: q, tags });
    assert.deepEqual([Array(200).fill('t'), Array(201).fill('t'), ['a'.repeat(201)]].map((t) => accepts(m, query(t))), [true, false, false]);
    assert.equal(accepts(m, query([], 'a'.repeat(100_001))), false);
    assert.equal(accepts(m, { type: 'query', seq: 1.5, query: '', tags: [] }), false);
    assert.deepEqual(parseMessage(lessons.persistedStateSchema, {}), { ok: true, message: { query: '', tags: [], scrollTop: 0, chipsExpanded: false } });
    assert.equal(accepts(lessons.persistedStateSchema, { scrollTop: -1 }), false);
    assert.equal(accepts(lessons.hostMessageSchema, { type: 'setQuery', query: 'q', focus: true }), true);
  });

  it('lessons: the wire accepts exactly the core lesson kinds', () => {
    const view = (kind: string) => ({
      type: 'state',
      seq: 0,
      state: {
        mode: 'list', query: '', tags: [], total: 1, matched: 1, chips: [], problems: [], dir: 'docs/lessons',
        cards: [{ id: 'a', title: 'A', kind, tags: [], snippet: '', highlights: [[0, 1]], titleHighlights: [], file: 'a.md', line: 1, readOnly: false, problems: 0 }],
      },
    });
    assert.deepEqual(['lesson', 'best-practice', 'anti-pattern', 'tip'].map((k) => accepts(lessons.hostMessageSchema, view(k))), [true, true, true, false]);
  });

  it('results: code block indexes are 0..10000, ids 1..100 characters, views nullable', () => {
    const m = results.webviewMessageSchema;
    assert.deepEqual([0, 10_000, 10_001, -1, 0.5].map((block) => accepts(m, { type: 'copy', id: 'i', block })), [true, true, false, false, false]);
    assert.deepEqual(['', 'a'.repeat(100), 'a'.repeat(101)].map((id) => accepts(m, { type: 'stop', id })), [false, true, false]);
    assert.equal(accepts(m, { type: 'openLink', href: 'a'.repeat(4001) }), false);
    assert.equal(accepts(results.persistedStateSchema, { view: null }), true);
    const notice = (message: string, level = 'info') => ({ type: 'event', id: 'i', event: { kind: 'notice', message, level } });
    assert.deepEqual([notice('a'.repeat(4000)), notice('a'.repeat(4001)), notice('a', 'debug')].map((e) => accepts(results.hostMessageSchema, e)), [true, false, false]);
  });

  it('analytics: counts are finite and non-negative, the escalation rate a ratio, dates YYYY-MM-DD', () => {
    const s = analytics.statsSchema;
    const stats = {
      period: { now: '2025-01-01T00:00:00Z', utcOffsetMinutes: 0 },
      eventsByType: {},
      tasks: { total: 0, ok: 0, failed: 0, byRoute: { local: 0, cloud: 0, escalated: 0 } },
      tokens: { in: 0, out: 0 },
      cost: { usd: -1, cloudUsd: 0, savingsUsd: 0 },
      escalation: { count: 0, localAttempts: 0, reasons: [], extraCostUsd: 0 },
      models: [],
      policy: { runs: 0, files: 0, findings: 0, bySeverity: {}, byRule: {} },
      handoffs: { validations: 0, passed: 0 },
      decisions: 0,
      daily: [] as unknown[],
    };
    assert.equal(accepts(s, stats), true, 'money may be negative');
    assert.deepEqual([-1, 0.5, Infinity, NaN].map((decisions) => accepts(s, { ...stats, decisions })), [false, true, false, false]);
    assert.deepEqual([0, 1, 1.01, -0.01].map((rate) => accepts(s, { ...stats, escalation: { ...stats.escalation, rate } })), [true, true, false, false]);
    const day = (date: string) => ({ date, local: 0, cloud: 0, escalated: 0, tokensIn: 0, tokensOut: 0, costUsd: 0, cloudCostUsd: 0, savingsUsd: 0, findings: 0, findingsBySeverity: {} });
    assert.deepEqual(['2025-03-10', '2025-3-10'].map((d) => accepts(s, { ...stats, daily: [day(d)] })), [true, false]);
    assert.equal(accepts(analytics.webviewMessageSchema, { type: 'ready', period: 'yesterday' }), false);
  });
});
