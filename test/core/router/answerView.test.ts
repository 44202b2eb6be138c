import assert from 'node:assert/strict';
import { newAnswerView, reduceAnswer, type AnswerEvent, type AnswerMetrics, type AnswerView } from '../../../src/core/router/answerView';
import { decisionSummary, formatCost, formatDuration, metricsLine, routeSummary } from '../../../src/core/router/taskSummary';

const view = (): AnswerView =>
  newAnswerView({ id: 't1', title: 'Explain', label: 'src/a.ts:1–3', mode: 'auto', models: { ollama: 'qwen2.5-coder:7b', anthropic: 'claude-sonnet-5-5' }, startedAt: 0 });
const metrics = (m: Partial<AnswerMetrics> = {}): AnswerMetrics => ({
  provider: 'anthropic', model: 'claude-sonnet-5-5', tokensIn: 900, tokensOut: 120, costUsd: 0.0045, cloudCostUsd: 0.0045, ttftMs: 210, totalMs: 2300, ok: true, escalated: true, escalationReason: 'answer is too short', ...m,
});
const run = (events: AnswerEvent[]): AnswerView => events.reduce(reduceAnswer, view());

describe('router/answerView', () => {
  it('streams an answer, keeps the rejected local draft on escalation and ends with the metrics', () => {
    const v = run([
      { kind: 'route', route: 'local', score: 0.06, reasons: ['command: explain'] },
      { kind: 'delta', text: 'It ', provider: 'ollama' },
      { kind: 'delta', text: 'sums.', provider: 'ollama' },
      { kind: 'notice', message: 'Local answer failed checks (answer is too short); escalating to Claude.', level: 'warning' },
      { kind: 'switch', from: 'ollama', to: 'anthropic', reason: 'answer is too short' },
      { kind: 'delta', text: 'A full explanation.', provider: 'anthropic' },
      { kind: 'done', metrics: metrics(), answer: 'A full explanation.' },
    ]);
    assert.equal(v.status, 'done');
    assert.deepEqual(v.route, { route: 'local', score: 0.06, reasons: ['command: explain'] });
    assert.equal(v.provider, 'anthropic');
    assert.equal(v.answer, 'A full explanation.');
    assert.deepEqual(v.drafts, [{ provider: 'ollama', text: 'It sums.', reason: 'answer is too short' }]);
    assert.deepEqual(v.banners, [{ level: 'warning', message: 'Local answer failed checks (answer is too short); escalating to Claude.' }]);
    assert.equal(v.metrics?.tokensIn, 900);
  });

  it('records tool calls, dedupes repeated notices and ignores events after the end', () => {
    const v = run([
      { kind: 'route', route: 'cloud', score: 0.8, reasons: ['concurrency'] },
      { kind: 'toolCall', provider: 'anthropic', name: 'read_file', input: '{"path":"src/a.ts"}' },
      { kind: 'notice', message: 'Masked 1 secret', level: 'warning' },
      { kind: 'notice', message: 'Masked 1 secret', level: 'warning' },
      { kind: 'done', metrics: metrics({ error: 'cancelled', ok: false }), answer: '' },
      { kind: 'delta', text: 'late', provider: 'anthropic' },
    ]);
    assert.equal(v.status, 'cancelled');
    assert.equal(v.provider, 'anthropic');
    assert.equal(v.answer, '');
    assert.equal(v.banners.length, 1);
    assert.deepEqual(v.toolCalls, [{ provider: 'anthropic', name: 'read_file', input: '{"path":"src/a.ts"}' }]);
  });

  it('ends as failed when no answer came, and prefers the final answer over the streamed text', () => {
    assert.equal(run([{ kind: 'done', metrics: metrics({ ok: false, error: 'No Anthropic API key' }), answer: '' }]).status, 'failed');
    const v = run([{ kind: 'delta', text: 'draft', provider: 'ollama' }, { kind: 'done', metrics: metrics(), answer: 'final' }]);
    assert.equal(v.answer, 'final');
  });
});

describe('router/taskSummary', () => {
  it('formats the status bar decision for local, escalated, failed and cancelled tasks', () => {
    const base = { provider: 'ollama' as const, model: 'qwen2.5-coder:7b', reasons: ['short mechanical edit'], escalated: false, totalMs: 812, ok: true };
    assert.equal(decisionSummary('Explain', base), 'Explain → Local (qwen2.5-coder:7b): short mechanical edit · 812 ms');
    assert.equal(
      decisionSummary('Explain', { ...base, provider: 'anthropic', model: 'claude-sonnet-5-5', escalated: true, escalationReason: 'answer is too short', totalMs: 2300 }),
      'Explain → Cloud (claude-sonnet-5-5): escalated from Local to Cloud: answer is too short · 2.3 s',
    );
    assert.equal(decisionSummary('Review', { ...base, ok: false, error: 'Ollama is not running' }), 'Review → Local (qwen2.5-coder:7b): failed: Ollama is not running · 812 ms');
    assert.equal(decisionSummary('Review', { ...base, ok: false, error: 'cancelled' }), 'Review → Local (qwen2.5-coder:7b): cancelled · 812 ms');
    assert.equal(decisionSummary('Refactor', { ...base, ok: false, error: 'answer failed checks: truncated' }), 'Refactor → Local (qwen2.5-coder:7b): short mechanical edit · 812 ms');
  });

  it('formats metrics with the Claude-equivalent cost of a local answer', () => {
    assert.equal(
      metricsLine({ provider: 'ollama', tokensIn: 512, tokensOut: 128, costUsd: 0, cloudCostUsd: 0.0034, ttftMs: 120, totalMs: 800 }),
      '512 in / 128 out · $0 (Claude: $0.0034) · first token 120 ms · total 800 ms',
    );
    assert.equal(metricsLine({ provider: 'anthropic', tokensIn: 12_345, tokensOut: 10, costUsd: 1.5, cloudCostUsd: 1.5, totalMs: 61_000 }), '12.3k in / 10 out · $1.50 · total 1 min 1 s');
    assert.equal(
      metricsLine({ provider: 'anthropic', tokensIn: 0, tokensOut: 0, costUsd: 0, cloudCostUsd: 0, ttftMs: 77, totalMs: 6800, error: 'cancelled' }),
      'stopped before usage was reported · first token 77 ms · total 6.8 s',
    );
    assert.equal(formatDuration(undefined), '–');
    assert.equal(formatCost(0), '$0');
  });

  it('says why a task went where it went, in the user\'s terms: the classifier\'s summary, else one built from the task', () => {
    const task = { language: 'rust', context: 'unsafe fn f(p: *mut u8) {\n  *p = 1;\n}' };
    assert.equal(routeSummary({ route: 'cloud', reasons: ['unsafe / FFI', 'classifier alone: cloud (0.81)'] }, 'cloud', task), 'Rust, unsafe / FFI, 3 lines → Claude');
    assert.equal(routeSummary({ route: 'local', reasons: ['small code context'], summary: 'Rust, 3 lines → local model' }, 'local', task), 'Rust, 3 lines → local model');
    // A route moved after the classifier (this workspace's calibration) re-points the classifier's arrow.
    assert.equal(routeSummary({ route: 'local', reasons: [], summary: 'Rust, 3 lines → local model' }, 'cloud', task), 'Rust, 3 lines → Claude');
    assert.equal(routeSummary({ route: 'cloud', reasons: [] }, 'local', {}, true), 'no code → local model first (unsure: strict checks, escalates on any doubt)');
  });

  it('puts the route summary, the extra cost of an escalation and what was learnt in the status bar decision', () => {
    const base = { provider: 'anthropic' as const, model: 'claude-sonnet-5-5', reasons: ['x'], escalated: false, totalMs: 900, ok: true };
    const learnt = '3 of your last 5 Explain tasks on Rust were escalated: Explain on Rust now goes to Claude';
    assert.equal(
      decisionSummary('Explain', { ...base, routing: { summary: 'Rust, 140 lines → Claude', calibration: learnt } }),
      `Explain → Cloud (claude-sonnet-5-5): Rust, 140 lines → Claude. ${learnt} · 900 ms`,
    );
    assert.equal(
      decisionSummary('Explain', { ...base, escalated: true, escalationReason: 'answer too short', extraCostUsd: 0.0012 }),
      'Explain → Cloud (claude-sonnet-5-5): escalated from Local to Cloud (+$0.0012): answer too short · 900 ms',
    );
  });

  it('shows an escalated task\'s local and Claude tokens and its extra cost', () => {
    assert.equal(
      metricsLine({ provider: 'anthropic', tokensIn: 1600, tokensOut: 300, localTokensIn: 900, localTokensOut: 100, cloudTokensIn: 700, cloudTokensOut: 200, costUsd: 0.0051, cloudCostUsd: 0.0042, extraCostUsd: 0.0009, totalMs: 2000 }),
      'local 900 in / 100 out · Claude 700 in / 200 out · $0.0051 ($0.0009 more than Claude directly) · total 2.0 s',
    );
  });
});
